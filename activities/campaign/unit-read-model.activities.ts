import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CycleUnitStatus } from '../../libs/persistence/src/entities';
import { ProgressCellsRepository } from '../../libs/persistence/src/repositories/progress-cells.repository';
import type { StepView } from '../../workflows/campaign/messages';
import type { Env } from '../../libs/config/src/env.schema';
import type { PlannedDelivery } from '../notices/notice-delivery.contract';
import { officeEmailsOf, planNoticeDeliveries } from '../notices/plan-deliveries';
import { followStepInSubmission } from '../../libs/persistence/src/submissions/submission-sync';

export interface UnitEventInput {
  /** The unit workflow's per-unit counter; (cycle, unit, seq) is unique, so a retried write inserts nothing. */
  seq: number;
  kind: string;
  stageKey: string | null;
  stepKey: string | null;
  /** The instant the transition happened in workflow time (for timed events: the instant it was due). */
  at: string;
  actor: string;
  summary: string;
  detail: Record<string, unknown>;
}

export interface RecordUnitTransitionInput {
  cycleId: string;
  unitId: string;
  workflowRunId: string;
  /** The highest seq in `events`; step rows and cycle_unit are only overwritten by a newer seq. */
  seq: number;
  events: UnitEventInput[];
  /** Current view of every step the events changed. */
  steps: StepView[];
  unit: { status: CycleUnitStatus; currentStage: string | null; startedAt?: string; completedAt?: string };
}

export interface RecordNoticeInput {
  dedupeKey: string;
  cycleId: string;
  unitId: string;
  stepKey: string;
  kind: 'reminder' | 'due' | 'escalation';
  /** Generation of the due date (0, +1 per extension). */
  occurrence: number;
  rung: number;
  audience: 'unit' | 'parent' | 'office';
  scheduledFor: string;
  dueAt: string;
}

export interface RecordNoticeResult {
  noticeId: string;
  /** false when the dedupe key existed already (a retry, or a replayed run): nothing new was decided. */
  created: boolean;
  /** Deliveries the workflow starts on the channels' task queues; empty until notice delivery is wired in. */
  deliveries: PlannedDelivery[];
}

/** The unit workflow's writes to the read model that dashboards and the history page query. */
@Injectable()
export class UnitReadModelActivities {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /**
   * One transaction: events (insert-once by seq), changed step rows (newer seq wins), the unit's submissions for
   * those steps (they follow the workflow: waived, cancelled, decided on any road), the unit's stage and status.
   */
  async recordUnitTransition(input: RecordUnitTransitionInput): Promise<void> {
    const { cycleId, unitId } = input;
    await this.dataSource.transaction(async (tx) => {
      for (const e of input.events) {
        await tx.query(
          `INSERT INTO unit_event (cycle_id, unit_id, seq, kind, stage_key, step_key, at, actor, summary, detail, workflow_run_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
           ON CONFLICT (cycle_id, unit_id, seq) DO NOTHING`,
          [cycleId, unitId, e.seq, e.kind, e.stageKey, e.stepKey, e.at, e.actor, e.summary, JSON.stringify(e.detail), input.workflowRunId],
        );
      }
      for (const s of input.steps) {
        const applied: unknown[] = await tx.query(
          `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at,
             original_due_at, opened_at, submitted_at, returned_at, accepted_at, waived_at, last_submission_id,
             escalation_level, on_bulletin, seq, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, now())
           ON CONFLICT (cycle_id, unit_id, step_key) DO UPDATE SET
             status = EXCLUDED.status, due_at = EXCLUDED.due_at, opened_at = EXCLUDED.opened_at,
             submitted_at = EXCLUDED.submitted_at, returned_at = EXCLUDED.returned_at, accepted_at = EXCLUDED.accepted_at,
             waived_at = EXCLUDED.waived_at, last_submission_id = EXCLUDED.last_submission_id,
             escalation_level = EXCLUDED.escalation_level, on_bulletin = EXCLUDED.on_bulletin, seq = EXCLUDED.seq, updated_at = now()
           WHERE unit_step_status.seq < EXCLUDED.seq
           RETURNING step_key`,
          [
            cycleId, unitId, s.key, s.stageKey, s.title, s.required, s.status, s.opensAt, s.dueAt, s.originalDueAt,
            s.openedAt ?? null, s.submittedAt ?? null, s.returnedAt ?? null, s.acceptedAt ?? null, s.waivedAt ?? null,
            s.lastSubmissionId ?? null, s.escalationRung + 1, s.onBulletin, input.seq,
          ],
        );
        if (applied.length) await followStepInSubmission(tx, cycleId, unitId, s.key, s);
      }
      // The matrix's compact cells follow the rows just written (seq-guarded above), in the same transaction.
      if (input.steps.length) await new ProgressCellsRepository(tx).refreshUnits(cycleId, [unitId]);
      // cycle_unit has no seq column: a write is applied unless an event newer than it is already recorded.
      await tx.query(
        `UPDATE cycle_unit SET status = $3, current_stage = $4, started_at = COALESCE(started_at, $5),
           completed_at = COALESCE($6, completed_at), updated_at = now()
         WHERE cycle_id = $1 AND unit_id = $2
           AND NOT EXISTS (SELECT 1 FROM unit_event e WHERE e.cycle_id = $1 AND e.unit_id = $2 AND e.seq > $7)`,
        [cycleId, unitId, input.unit.status, input.unit.currentStage, input.unit.startedAt ?? null, input.unit.completedAt ?? null, input.seq],
      );
    });
  }

  /**
   * Exactly-once by dedupe key: a retry or a replayed decision returns the existing notice. The notice's outbox rows
   * (one per recipient × channel, activities/notices/plan-deliveries.ts) are created in the same transaction.
   */
  async recordNotice(input: RecordNoticeInput): Promise<RecordNoticeResult> {
    return this.dataSource.transaction(async (tx) => {
      const inserted: { id: string }[] = await tx.query(
        `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [input.dedupeKey, input.cycleId, input.unitId, input.stepKey, input.kind, input.occurrence, input.rung, input.audience, input.scheduledFor, input.dueAt],
      );
      const noticeId = String(inserted.length ? inserted[0].id : (await tx.query(`SELECT id FROM notice WHERE dedupe_key = $1`, [input.dedupeKey]))[0].id);
      const deliveries = await planNoticeDeliveries(tx, noticeId, { officeEmails: officeEmailsOf(this.config) });
      return { noticeId, created: inserted.length > 0, deliveries };
    });
  }
}

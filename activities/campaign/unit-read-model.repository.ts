import { Injectable } from '@nestjs/common';
import type { CycleUnitStatus, UnitEventInput } from '../../libs/domain/src/campaign';
import type { ConfirmingEvent } from '../../libs/domain/src/cycles/steered-status';
import { Db } from '../../libs/persistence/src/db';
import { ProgressCellsRepository } from '../../libs/persistence/src/repositories/progress-cells.repository';
import type { StepView } from '../../workflows/campaign/messages';

/** cycle_unit's status and the events that will confirm a status a cycle-wide control showed ahead of the unit. */
export interface SteeredUnitRow {
  status: CycleUnitStatus;
  awaiting_events: ConfirmingEvent[];
}

/** What identifies one write of the unit workflow: the unit, its run, and the highest event seq it carries. */
export interface UnitWriteKey {
  cycleId: string;
  unitId: string;
  workflowRunId: string;
  seq: number;
}

export interface UnitRowUpdate {
  status: CycleUnitStatus;
  currentStage: string | null;
  startedAt?: string;
  completedAt?: string;
}

export interface NewNotice {
  dedupeKey: string;
  cycleId: string;
  unitId: string;
  stepKey: string;
  kind: 'reminder' | 'due' | 'escalation';
  occurrence: number;
  rung: number;
  audience: 'unit' | 'parent' | 'office';
  scheduledFor: string;
  dueAt: string;
}

interface IdRow {
  id: string;
}

interface StepKeyRow {
  step_key: string;
}

/**
 * The unit workflow's writes to the read model (unit_event, unit_step_status, cycle_unit, notice), each guarded so
 * a retried or replayed write changes nothing. Through Db: called inside Db.transaction, every statement runs on
 * that transaction's connection.
 */
@Injectable()
export class UnitReadModelRepository {
  constructor(private readonly db: Db) {}

  /** Insert-once by (cycle, unit, seq). */
  async insertEvent(key: UnitWriteKey, e: UnitEventInput): Promise<void> {
    await this.db.query(
      `INSERT INTO unit_event (cycle_id, unit_id, seq, kind, stage_key, step_key, at, actor, summary, detail, workflow_run_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (cycle_id, unit_id, seq) DO NOTHING`,
      [
        key.cycleId,
        key.unitId,
        e.seq,
        e.kind,
        e.stageKey,
        e.stepKey,
        e.at,
        e.actor,
        e.summary,
        JSON.stringify(e.detail),
        key.workflowRunId,
      ],
    );
  }

  /** The step's row as the workflow sees it, unless a newer seq wrote it already; true when it was written. */
  async upsertStep(key: UnitWriteKey, s: StepView): Promise<boolean> {
    const applied = await this.db.query<StepKeyRow>(
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
        key.cycleId,
        key.unitId,
        s.key,
        s.stageKey,
        s.title,
        s.required,
        s.status,
        s.opensAt,
        s.dueAt,
        s.originalDueAt,
        s.openedAt ?? null,
        s.submittedAt ?? null,
        s.returnedAt ?? null,
        s.acceptedAt ?? null,
        s.waivedAt ?? null,
        s.lastSubmissionId ?? null,
        s.escalationRung + 1,
        s.onBulletin,
        key.seq,
      ],
    );
    return applied.length > 0;
  }

  /** The matrix's compact cells of the unit follow its step rows (ProgressCellsRepository). */
  async refreshCells(cycleId: string, unitId: string): Promise<void> {
    await new ProgressCellsRepository(this.db).refreshUnits(cycleId, [unitId]);
  }

  /** The unit's row, locked, if this write is newer than the last one applied to it (else undefined: a retry). */
  async lockUnitOlderThan(key: UnitWriteKey): Promise<SteeredUnitRow | undefined> {
    const [row] = await this.db.query<SteeredUnitRow>(
      `SELECT status, awaiting_events FROM cycle_unit WHERE cycle_id = $1 AND unit_id = $2 AND seq < $3 FOR UPDATE`,
      [key.cycleId, key.unitId, key.seq],
    );
    return row;
  }

  /** The unit's row after its write: `status` and `awaiting` as followUnitWrite decided (steered-status.ts). */
  async updateUnit(key: UnitWriteKey, unit: UnitRowUpdate & { awaiting: ConfirmingEvent[] }): Promise<void> {
    await this.db.query(
      `UPDATE cycle_unit SET status = $3, awaiting_events = $8, seq = $7, current_stage = $4, started_at = COALESCE(started_at, $5),
         completed_at = COALESCE($6, completed_at), updated_at = now()
       WHERE cycle_id = $1 AND unit_id = $2`,
      [
        key.cycleId,
        key.unitId,
        unit.status,
        unit.currentStage,
        unit.startedAt ?? null,
        unit.completedAt ?? null,
        key.seq,
        unit.awaiting,
      ],
    );
  }

  /** Exactly-once by dedupe key: the notice's id, and whether this call created it. */
  async insertNotice(n: NewNotice): Promise<{ noticeId: string; created: boolean }> {
    const inserted = await this.db.query<IdRow>(
      `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [n.dedupeKey, n.cycleId, n.unitId, n.stepKey, n.kind, n.occurrence, n.rung, n.audience, n.scheduledFor, n.dueAt],
    );
    if (inserted.length) return { noticeId: String(inserted[0].id), created: true };
    const [existing] = await this.db.query<IdRow>(`SELECT id FROM notice WHERE dedupe_key = $1`, [n.dedupeKey]);
    return { noticeId: String(existing.id), created: false };
  }
}

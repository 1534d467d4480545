import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { UnitEventInput } from '../../libs/domain/src/campaign';
import { Db } from '../../libs/persistence/src/db';
import type { StepView } from '../../workflows/campaign/messages';
import type { Env } from '../../libs/config/src/env.schema';
import type { PlannedDelivery } from '../notices/notice-delivery.contract';
import { officeEmailsOf, planNoticeDeliveries } from '../../libs/notifications/src/planning/plan-deliveries';
import { followStepInSubmission } from '../../libs/persistence/src/submissions/submission-sync';
import {
  UnitReadModelRepository,
  type NewNotice,
  type UnitRowUpdate,
  type UnitWriteKey,
} from './unit-read-model.repository';
import { followUnitWrite } from '../../libs/domain/src/cycles/steered-status';

export type { UnitEventInput };

export interface RecordUnitTransitionInput extends UnitWriteKey {
  events: UnitEventInput[];
  /** Current view of every step the events changed. */
  steps: StepView[];
  unit: UnitRowUpdate;
}

export type RecordNoticeInput = NewNotice;

/**
 * The results say what was written because a local activity's history marker records its result, not its input:
 * the admin timeline reads them there (apps/api/src/inspection/temporal-history.translator.ts).
 */
export interface RecordUnitTransitionResult {
  eventKinds: UnitEventInput['kind'][];
}

export interface RecordNoticeResult {
  /** The notice the call was about (see RecordUnitTransitionResult). */
  about: Pick<NewNotice, 'kind' | 'stepKey' | 'audience'>;
  noticeId: string;
  /** false when the dedupe key existed already (a retry, or a replayed run): nothing new was decided. */
  created: boolean;
  /**
   * Deliveries the workflow is to run as deliverNotice activities: always empty now — the worker's outbox
   * dispatchers send every pending row (docs/NOTIFICATIONS.md). Runs recorded while this listed the rows replay the
   * recorded lists (and their deliverNotice calls) unchanged.
   */
  deliveries: PlannedDelivery[];
}

/** The unit workflow's writes to the read model that dashboards and the history page query. */
@Injectable()
export class UnitReadModelActivities {
  constructor(
    private readonly db: Db,
    private readonly readModel: UnitReadModelRepository,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /**
   * One transaction: events (insert-once by seq), changed step rows (newer seq wins), the unit's submissions for
   * those steps (they follow the workflow: waived, cancelled, decided on any road), the matrix cells, the unit's
   * stage and status.
   */
  async recordUnitTransition(input: RecordUnitTransitionInput): Promise<RecordUnitTransitionResult> {
    const { cycleId, unitId } = input;
    const written = { eventKinds: input.events.map((e) => e.kind) };
    await this.db.transaction(async (tx) => {
      for (const e of input.events) await this.readModel.insertEvent(input, e);
      for (const s of input.steps) {
        if (await this.readModel.upsertStep(input, s)) await followStepInSubmission(tx, cycleId, unitId, s.key, s);
      }
      // The matrix's compact cells follow the rows just written (seq-guarded above), in the same transaction.
      if (input.steps.length) await this.readModel.refreshCells(cycleId, unitId);
      // The unit's row follows its newest write, except a status a cycle-wide control shows ahead of the unit
      // until the unit's events confirm it (libs/domain/src/cycles/steered-status.ts).
      const row = await this.readModel.lockUnitOlderThan(input);
      if (!row) return;
      const next = followUnitWrite(
        { status: row.status, awaiting: row.awaiting_events },
        { status: input.unit.status, eventKinds: input.events.map((e) => e.kind) },
      );
      await this.readModel.updateUnit(input, { ...input.unit, status: next.status, awaiting: next.awaiting });
    });
    return written;
  }

  /**
   * Exactly-once by dedupe key: a retry or a replayed decision returns the existing notice. The notice's outbox rows
   * (one per recipient × channel, libs/notifications/src/planning/plan-deliveries.ts) are created in the same transaction.
   */
  async recordNotice(input: RecordNoticeInput): Promise<RecordNoticeResult> {
    return this.db.transaction(async (tx) => {
      const { noticeId, created } = await this.readModel.insertNotice(input);
      // The outbox rows are the deliveries; the channels' dispatchers send them (activities/notices/outbox-dispatcher.ts).
      // An empty list tells the workflow there is nothing for it to deliver (runs recorded before kept their lists).
      await planNoticeDeliveries(tx, noticeId, { officeEmails: officeEmailsOf(this.config) });
      return {
        noticeId,
        created,
        deliveries: [],
        about: { kind: input.kind, stepKey: input.stepKey, audience: input.audience },
      };
    });
  }
}

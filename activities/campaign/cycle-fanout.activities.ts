import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import type { Env } from '../../libs/config/src';
import type { CyclePlan } from '../../libs/domain/src/plan/unit-plan';
import type { CycleStatus } from '../../libs/persistence/src/entities';
import { InjectTemporalClient } from '../../libs/temporal/src';
import { cancelSignal, extendSignal, pauseSignal, resumeSignal } from '../../workflows/campaign/messages';
import { unitWorkflowId, type CycleControl, type UnitWorkflowInput } from '../../workflows/campaign/types';

export interface OrdinalRange {
  cycleId: string;
  /** Inclusive. */
  fromOrdinal: number;
  /** Exclusive. */
  toOrdinal: number;
}

export interface StartBatchResult {
  started: number;
  /** Workflow id already in use (a retried batch, a repeated cycle start): not an error, nothing started twice. */
  alreadyStarted: number;
  /** cycle_unit rows whose unit kind has no cycle_plan row: not started, logged. */
  withoutPlan: number;
}

const CampaignCycleId = defineSearchAttributeKey('CampaignCycleId', SearchAttributeType.KEYWORD);
const UnitCode = defineSearchAttributeKey('UnitCode', SearchAttributeType.KEYWORD);
const UnitKind = defineSearchAttributeKey('UnitKind', SearchAttributeType.KEYWORD);
const SEARCH_ATTRIBUTE_NAMES = ['CampaignCycleId', 'UnitCode', 'UnitKind'];

/** Activities of the cycle coordinator: start and signal unit workflows page by page, keep campaign_cycle.status. */
@Injectable()
export class CycleFanoutActivities {
  private readonly log = new Logger('CycleFanout');
  private searchAttributesProbe?: Promise<boolean>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectTemporalClient() private readonly client: Client,
    private readonly config: ConfigService<Env, true>,
  ) {}

  /** Ordinals the cycle's units carry (the api numbers them; 0- or 1-based both work). */
  async loadCycleOrdinalRange(input: { cycleId: string }): Promise<{ minOrdinal: number; maxOrdinal: number; count: number }> {
    const [row] = await this.dataSource.query(
      `SELECT min(ordinal)::int AS min, max(ordinal)::int AS max, count(*)::int AS count FROM cycle_unit WHERE cycle_id = $1`,
      [input.cycleId],
    );
    return row.count ? { minOrdinal: row.min, maxOrdinal: row.max, count: row.count } : { minOrdinal: 0, maxOrdinal: -1, count: 0 };
  }

  /** Starts the unit workflows of one ordinal range; idempotent because workflow ids are derived from (cycle, unit). */
  async startUnitWorkflowBatch(input: OrdinalRange): Promise<StartBatchResult> {
    const rows: { unit_id: string; unit_kind: string; code: string; name: string; plan: CyclePlan | null }[] = await this.dataSource.query(
      `SELECT cu.unit_id, cu.unit_kind, u.code, u.name, cp.plan
       FROM cycle_unit cu
       JOIN unit u ON u.id = cu.unit_id
       LEFT JOIN cycle_plan cp ON cp.cycle_id = cu.cycle_id AND cp.unit_kind = cu.unit_kind
       WHERE cu.cycle_id = $1 AND cu.ordinal >= $2 AND cu.ordinal < $3
       ORDER BY cu.ordinal`,
      [input.cycleId, input.fromOrdinal, input.toOrdinal],
    );
    const result: StartBatchResult = { started: 0, alreadyStarted: 0, withoutPlan: 0 };
    const taskQueue = this.config.get('TEMPORAL_TASK_QUEUE', { infer: true });
    await Promise.all(
      rows.map(async (row) => {
        if (!row.plan) {
          result.withoutPlan++;
          this.log.error(`cycle ${input.cycleId}: no plan for unit kind ${row.unit_kind} (unit ${row.code}); not started`);
          return;
        }
        const unitInput: UnitWorkflowInput = {
          cycleId: input.cycleId,
          unitId: row.unit_id,
          unitCode: row.code,
          unitName: row.name,
          unitKind: row.unit_kind,
          plan: row.plan,
          utcOffsetMinutes: DateTime.fromISO(row.plan.cycleStartsAt, { zone: row.plan.timeZone }).offset,
        };
        const outcome = await this.startOne(unitInput, taskQueue);
        result[outcome]++;
      }),
    );
    await this.dataSource.query(
      `UPDATE cycle_unit SET status = 'running', updated_at = now()
       WHERE cycle_id = $1 AND ordinal >= $2 AND ordinal < $3 AND status = 'pending'`,
      [input.cycleId, input.fromOrdinal, input.toOrdinal],
    );
    return result;
  }

  private async startOne(unitInput: UnitWorkflowInput, taskQueue: string): Promise<'started' | 'alreadyStarted'> {
    const attributes = (await this.searchAttributesKnown())
      ? [
          { key: CampaignCycleId, value: unitInput.cycleId },
          { key: UnitCode, value: unitInput.unitCode },
          { key: UnitKind, value: unitInput.unitKind },
        ]
      : undefined;
    try {
      await this.client.workflow.start('unitCampaignWorkflow', {
        workflowId: unitWorkflowId(unitInput.cycleId, unitInput.unitId),
        taskQueue,
        args: [unitInput],
        ...(attributes ? { typedSearchAttributes: attributes } : {}),
      });
      return 'started';
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return 'alreadyStarted';
      throw error;
    }
  }

  /**
   * Best effort: the dev server registers the attributes (scripts/lib/temporal-dev.js); other servers may not. Asked
   * once, up front, rather than by trying a start: a start refused for its attributes must never be half-made.
   */
  private searchAttributesKnown(): Promise<boolean> {
    this.searchAttributesProbe ??= this.client.connection.operatorService
      .listSearchAttributes({ namespace: this.client.options.namespace })
      .then((r) => SEARCH_ATTRIBUTE_NAMES.every((name) => name in (r.customAttributes ?? {})))
      .catch(() => false)
      .then((known) => {
        if (!known) this.log.warn('search attributes CampaignCycleId/UnitCode/UnitKind are not registered; unit workflows start without them');
        return known;
      });
    return this.searchAttributesProbe;
  }

  /** Broadcasts one cycle-level control to the units of an ordinal range as signals (never waits on a unit). */
  async signalUnitWorkflowBatch(input: OrdinalRange & { control: CycleControl }): Promise<{ signalled: number; notRunning: number }> {
    const rows: { unit_id: string }[] = await this.dataSource.query(
      `SELECT unit_id FROM cycle_unit WHERE cycle_id = $1 AND ordinal >= $2 AND ordinal < $3 ORDER BY ordinal`,
      [input.cycleId, input.fromOrdinal, input.toOrdinal],
    );
    const c = input.control;
    let signalled = 0;
    let notRunning = 0;
    const accepted: string[] = [];
    await Promise.all(
      rows.map(async ({ unit_id }) => {
        const handle = this.client.workflow.getHandle(unitWorkflowId(input.cycleId, unit_id));
        try {
          if (c.kind === 'extend') await handle.signal(extendSignal, { stepKey: c.stepKey, newDueAt: c.newDueAt, actor: c.actor, reason: c.reason });
          else await handle.signal(c.kind === 'pause' ? pauseSignal : c.kind === 'resume' ? resumeSignal : cancelSignal, { actor: c.actor, reason: c.reason });
          signalled++;
          accepted.push(unit_id);
        } catch (error) {
          // A finished (or never started) unit workflow has nothing to pause, resume, cancel or extend.
          if (!(error instanceof WorkflowNotFoundError)) throw error;
          notRunning++;
        }
      }),
    );
    // A signal Temporal accepted is in the unit's history and will be applied: the unit's status shows it now, in one
    // statement per batch; the unit's own write (events, steps) follows and agrees (or, if newer, wins).
    const applied = c.kind === 'pause' ? ['running', 'paused'] : c.kind === 'resume' ? ['paused', 'running'] : c.kind === 'cancel' ? ['running,paused', 'cancelled'] : undefined;
    if (applied && accepted.length) {
      await this.dataSource.query(
        `UPDATE cycle_unit SET status = $4, updated_at = now() WHERE cycle_id = $1 AND unit_id = ANY($2::uuid[]) AND status = ANY($3::text[])`,
        [input.cycleId, accepted, applied[0].split(','), applied[1]],
      );
    }
    if (c.kind === 'cancel') {
      await this.dataSource.query(
        `UPDATE cycle_unit SET status = 'cancelled', completed_at = now(), updated_at = now()
         WHERE cycle_id = $1 AND ordinal >= $2 AND ordinal < $3 AND status = 'pending'`,
        [input.cycleId, input.fromOrdinal, input.toOrdinal],
      );
    }
    return { signalled, notRunning };
  }

  async setCycleStatus(input: { cycleId: string; status: CycleStatus }): Promise<void> {
    await this.dataSource.query(`UPDATE campaign_cycle SET status = $2, updated_at = now() WHERE id = $1`, [input.cycleId, input.status]);
  }

  /** Units whose workflow has not finished yet, per the read model. */
  async countUnfinishedUnits(input: { cycleId: string }): Promise<number> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS n FROM cycle_unit WHERE cycle_id = $1 AND status NOT IN ('completed', 'cancelled')`,
      [input.cycleId],
    );
    return row.n;
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { DateTime } from 'luxon';
import type { Env } from '../../libs/config/src';
import type { CyclePlan } from '../../libs/domain/src/plan/unit-plan';
import type { CycleStatus } from '../../libs/persistence/src/entities';
import {
  CycleFanoutRepository,
  type SteeredStatus,
} from '../../libs/persistence/src/repositories/cycle-fanout.repository';
import { CycleLookupRepository } from '../../libs/persistence/src/repositories/cycle-lookup.repository';
import { InjectTemporalClient } from '../../libs/temporal/src';
import { CampaignCycleId, UNIT_SEARCH_ATTRIBUTES, UnitCode, UnitKind } from '../../libs/temporal/src/search-attributes';
import pLimit, { type Limit } from 'p-limit';
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

const SEARCH_ATTRIBUTE_NAMES = UNIT_SEARCH_ATTRIBUTES.map((key) => key.name);
/** Cycles whose plans a worker keeps in memory while it starts their units. */
const PLAN_CACHE_CYCLES = 16;

/**
 * A signal Temporal accepted is in the unit's history and will be applied: the read model shows it at once, one
 * statement per batch (the unit's status; for an extension its step's due date); the unit's own write follows.
 */
const STEERED: Partial<Record<CycleControl['kind'], SteeredStatus>> = {
  pause: { from: ['running'], to: 'paused', confirmedBy: 'paused' },
  resume: { from: ['paused'], to: 'running', confirmedBy: 'resumed' },
  cancel: { from: ['running', 'paused'], to: 'cancelled', confirmedBy: 'cancelled' },
};

/** Activities of the cycle coordinator: start and signal unit workflows page by page, keep campaign_cycle.status. */
@Injectable()
export class CycleFanoutActivities {
  private readonly log = new Logger('CycleFanout');
  private searchAttributesProbe?: Promise<boolean>;
  private readonly plans = new Map<string, Map<string, CyclePlan>>();
  /**
   * Starts and signals of every batch this worker runs share one bound: past ~200 calls in flight the dev server
   * only queues them (its persistence lock; 1,000 in flight started units at half the rate of 200), so more batches
   * in flight keep the pipe full without flooding it.
   */
  private readonly inFlight: Limit;

  constructor(
    private readonly repository: CycleFanoutRepository,
    private readonly cycles: CycleLookupRepository,
    @InjectTemporalClient() private readonly client: Client,
    private readonly config: ConfigService<Env, true>,
  ) {
    this.inFlight = pLimit(config.get('CYCLE_FANOUT_IN_FLIGHT', { infer: true }));
  }

  /** Ordinals the cycle's units carry (the api numbers them; 0- or 1-based both work). */
  loadCycleOrdinalRange(input: {
    cycleId: string;
  }): Promise<{ minOrdinal: number; maxOrdinal: number; count: number }> {
    return this.repository.ordinalRange(input.cycleId);
  }

  /** Starts the unit workflows of one ordinal range; idempotent because workflow ids are derived from (cycle, unit). */
  async startUnitWorkflowBatch(input: OrdinalRange): Promise<StartBatchResult> {
    const [rows, plans] = await Promise.all([
      this.repository.unitsToStart(input.cycleId, input.fromOrdinal, input.toOrdinal),
      this.plansOf(input.cycleId),
    ]);
    const result: StartBatchResult = { started: 0, alreadyStarted: 0, withoutPlan: 0 };
    const taskQueue = this.config.get('TEMPORAL_TASK_QUEUE', { infer: true });
    await Promise.all(
      rows.map((row) =>
        this.inFlight(async () => {
          const plan = plans.get(row.unit_kind);
          if (!plan) {
            result.withoutPlan++;
            this.log.error(
              `cycle ${input.cycleId}: no plan for unit kind ${row.unit_kind} (unit ${row.code}); not started`,
            );
            return;
          }
          const unitInput: UnitWorkflowInput = {
            cycleId: input.cycleId,
            unitId: row.unit_id,
            unitCode: row.code,
            unitName: row.name,
            unitKind: row.unit_kind,
            plan,
            utcOffsetMinutes: DateTime.fromISO(plan.cycleStartsAt, { zone: plan.timeZone }).offset,
          };
          const outcome = await this.startOne(unitInput, taskQueue);
          result[outcome]++;
        }),
      ),
    );
    await this.repository.markStarted(input.cycleId, input.fromOrdinal, input.toOrdinal);
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
        if (!known)
          this.log.warn(
            'search attributes CampaignCycleId/UnitCode/UnitKind are not registered; unit workflows start without them',
          );
        return known;
      });
    return this.searchAttributesProbe;
  }

  /** Broadcasts one cycle-level control to the units of an ordinal range as signals (never waits on a unit). */
  async signalUnitWorkflowBatch(
    input: OrdinalRange & { control: CycleControl },
  ): Promise<{ signalled: number; notRunning: number }> {
    const rows = await this.repository.unitsInRange(input.cycleId, input.fromOrdinal, input.toOrdinal);
    const c = input.control;
    let signalled = 0;
    let notRunning = 0;
    const accepted: string[] = [];
    await Promise.all(
      rows.map(({ unit_id }) =>
        this.inFlight(async () => {
          const handle = this.client.workflow.getHandle(unitWorkflowId(input.cycleId, unit_id));
          try {
            if (c.kind === 'extend')
              await handle.signal(extendSignal, {
                stepKey: c.stepKey,
                newDueAt: c.newDueAt,
                actor: c.actor,
                reason: c.reason,
              });
            else
              await handle.signal(
                c.kind === 'pause' ? pauseSignal : c.kind === 'resume' ? resumeSignal : cancelSignal,
                { actor: c.actor, reason: c.reason },
              );
            signalled++;
            accepted.push(unit_id);
          } catch (error) {
            // A finished (or never started) unit workflow has nothing to pause, resume, cancel or extend.
            if (!(error instanceof WorkflowNotFoundError)) throw error;
            notRunning++;
          }
        }),
      ),
    );
    const steered = STEERED[c.kind];
    if (steered) await this.repository.markSteered(input.cycleId, accepted, steered);
    if (c.kind === 'extend') await this.repository.markExtended(input.cycleId, accepted, c.stepKey, c.newDueAt);
    if (c.kind === 'cancel') await this.repository.cancelPending(input.cycleId, input.fromOrdinal, input.toOrdinal);
    return { signalled, notRunning };
  }

  async setCycleStatus(input: { cycleId: string; status: CycleStatus }): Promise<void> {
    await this.repository.setCycleStatus(input.cycleId, input.status);
  }

  /** Units whose workflow has not finished yet, per the read model. */
  countUnfinishedUnits(input: { cycleId: string }): Promise<number> {
    return this.repository.countUnfinished(input.cycleId);
  }

  /** Plans never change once the cycle is started: read once per cycle and worker, not once per unit. */
  private async plansOf(cycleId: string): Promise<Map<string, CyclePlan>> {
    let plans = this.plans.get(cycleId);
    if (!plans) {
      plans = new Map((await this.cycles.plans(cycleId)).map((p) => [p.unit_kind, p.plan]));
      if (this.plans.size >= PLAN_CACHE_CYCLES) this.plans.delete(this.plans.keys().next().value!);
      this.plans.set(cycleId, plans);
    }
    return plans;
  }
}

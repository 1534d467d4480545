/**
 * The cycle's coordinator: starts every unit workflow through batch activities in a sliding window (never more than
 * `window` activities pending, whatever the unit count), then broadcasts cycle-level controls to the units as
 * signals over the same ordinal pages and keeps campaign_cycle.status. History stays bounded by continue-as-new.
 */
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { CycleFanoutActivities } from '../../activities/campaign/cycle-fanout.activities';
import {
  cycleCancelSignal,
  cycleExtendSignal,
  cyclePauseSignal,
  cycleProgressQuery,
  cycleResumeSignal,
  type CycleProgress,
} from './messages';
import type { CycleCarriedState, CycleControl, CycleWorkflowInput } from './types';

const acts = proxyActivities<CycleFanoutActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const DEFAULT_BATCHES_PER_RUN = 200;
const DEFAULT_COMPLETION_CHECK_MS = 86_400_000;
const CONTINUE_AS_NEW_AFTER_EVENTS = 2_000;
/** Hard cap whatever the caller asks: a workflow never has more pending activities than this. */
const MAX_WINDOW = 500;
/** Events one broadcast batch adds at most: its activity (scheduled, started, completed) and a workflow task. */
const EVENTS_PER_BATCH = 6;
/** A run's history stays under Temporal's 4,096-event guidance with this much room for signals and status writes. */
const DEFAULT_HISTORY_BUDGET = 3_500;
/** A run this short has nothing to hand over: continuing it as new would not make the broadcast fit. */
const FRESH_RUN_EVENTS = 20;

export async function campaignCycleWorkflow(input: CycleWorkflowInput): Promise<CycleProgress> {
  const { cycleId } = input;
  const window = Math.max(1, Math.min(input.window, MAX_WINDOW));
  const batchSize = Math.max(1, input.batchSize);
  const c: CycleCarriedState = input.carried ?? {
    minOrdinal: 0,
    maxOrdinal: -1,
    started: 0,
    state: 'starting',
    pendingControls: [],
  };
  const progress = (): CycleProgress => ({ cycleId, unitCount: input.unitCount, started: c.started, state: c.state });

  setHandler(cycleProgressQuery, progress);
  setHandler(cyclePauseSignal, (r) => void c.pendingControls.push({ kind: 'pause', actor: r.actor, reason: r.reason }));
  setHandler(
    cycleResumeSignal,
    (r) => void c.pendingControls.push({ kind: 'resume', actor: r.actor, reason: r.reason }),
  );
  setHandler(
    cycleCancelSignal,
    (r) => void c.pendingControls.push({ kind: 'cancel', actor: r.actor, reason: r.reason }),
  );
  setHandler(
    cycleExtendSignal,
    (r) =>
      void c.pendingControls.push({
        kind: 'extend',
        actor: r.actor,
        reason: r.reason,
        stepKey: r.stepKey,
        newDueAt: r.newDueAt,
      }),
  );

  const carryOn = async (nextOrdinal: number): Promise<never> => {
    await condition(allHandlersFinished);
    return continueAsNew<typeof campaignCycleWorkflow>({ ...input, nextOrdinal, carried: c });
  };

  /** Runs `work` once per ordinal page from `from`, at most `window` at a time; stops early at `stopAfter` pages. */
  const slide = async (
    from: number,
    work: (fromOrdinal: number, toOrdinal: number) => Promise<void>,
    stopAfter = Infinity,
    stop = () => false,
  ) => {
    const pending = new Set<Promise<void>>();
    let next = from;
    let pages = 0;
    while (next <= c.maxOrdinal && pages < stopAfter && !stop()) {
      if (pending.size >= window) {
        await Promise.race(pending);
        continue;
      }
      const to = Math.min(next + batchSize, c.maxOrdinal + 1);
      const p: Promise<void> = work(next, to).finally(() => pending.delete(p));
      pending.add(p);
      next = to;
      pages++;
    }
    await Promise.all(pending);
    return next;
  };

  if (!input.carried) {
    const range = await acts.loadCycleOrdinalRange({ cycleId });
    c.minOrdinal = range.minOrdinal;
    c.maxOrdinal = range.maxOrdinal;
    await acts.setCycleStatus({ cycleId, status: 'starting' });
  }

  if (c.state === 'starting') {
    const cancelRequested = () => c.pendingControls.some((k) => k.kind === 'cancel');
    const from = input.nextOrdinal ?? c.minOrdinal;
    const next = await slide(
      from,
      async (fromOrdinal, toOrdinal) => {
        const r = await acts.startUnitWorkflowBatch({ cycleId, fromOrdinal, toOrdinal });
        c.started += r.started + r.alreadyStarted;
      },
      input.batchesPerRun ?? DEFAULT_BATCHES_PER_RUN,
      cancelRequested,
    );
    if (next <= c.maxOrdinal && !cancelRequested()) await carryOn(next);
    c.state = 'running';
    // A cancel received while starting is applied next (units never started are marked cancelled by the broadcast).
    if (!cancelRequested()) await acts.setCycleStatus({ cycleId, status: 'running' });
  }

  const broadcast = (control: CycleControl) =>
    slide(c.minOrdinal, async (fromOrdinal, toOrdinal) => {
      await acts.signalUnitWorkflowBatch({ cycleId, fromOrdinal, toOrdinal, control });
    });

  /** Whether the next broadcast would take this run past its history budget (100,000 units ≈ 3,000 events). */
  const broadcastWouldOverflow = () => {
    const history = workflowInfo().historyLength;
    const batches = Math.ceil((c.maxOrdinal - c.minOrdinal + 1) / batchSize);
    return (
      history > FRESH_RUN_EVENTS &&
      history + batches * EVENTS_PER_BATCH > (input.historyBudget ?? DEFAULT_HISTORY_BUDGET)
    );
  };

  while (c.state !== 'cancelled' && c.state !== 'completed') {
    if (c.pendingControls.length && broadcastWouldOverflow() && patched('continue-as-new-before-a-long-broadcast'))
      await carryOn(c.maxOrdinal + 1);
    const control = c.pendingControls.shift();
    if (control) {
      await broadcast(control);
      const status: CycleCarriedState['state'] =
        control.kind === 'pause'
          ? 'paused'
          : control.kind === 'resume'
            ? 'running'
            : control.kind === 'cancel'
              ? 'cancelled'
              : c.state;
      if (status !== c.state) {
        c.state = status;
        // The api records the office's latest decision at once; a pause broadcast that ends while the office's
        // resume waits must not write "paused" over it. The last control's broadcast writes the final state.
        const superseded =
          c.pendingControls.some((k) => k.kind !== 'extend') && patched('cycle-status-after-last-pending-control');
        if (!superseded) await acts.setCycleStatus({ cycleId, status });
      }
      continue;
    }
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > CONTINUE_AS_NEW_AFTER_EVENTS)
      await carryOn(c.maxOrdinal + 1);
    const woken = await condition(
      () => c.pendingControls.length > 0,
      input.completionCheckMs ?? DEFAULT_COMPLETION_CHECK_MS,
    );
    if (!woken && (await acts.countUnfinishedUnits({ cycleId })) === 0) {
      c.state = 'completed';
      await acts.setCycleStatus({ cycleId, status: 'completed' });
    }
  }
  await condition(allHandlersFinished);
  return progress();
}

/**
 * Cycle-wide fan-outs of one cycle whose unit workflows are running, each right after its own bare signal loop on the
 * same servers and the same state: `POST /api/cycles/:id/<verb>` until the read model shows it for every unit
 * (cycle_unit.status; for an extension every unit's step row) vs a loop of no-op signals to the same workflows, 200 in
 * flight (`resume` to running units, `pause` to paused ones). Each pair starts from a quiet system: the units' own
 * writes of the previous fan-out have landed (that time is reported too). Each phase is profiled from the Temporal
 * server's and the SDK's metrics.
 */
import { tsToMs } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import { pauseSignal, resumeSignal } from '../../workflows/campaign/messages';
import { call, count, inFlight, until, type Stack } from './stack';
import { MetricsSnapshot, profile, type PhaseProfile } from './temporal-metrics';

const SIGNAL_WIDTH = 200;

export interface FanoutFigures {
  /** The bare loop measured right before each fan-out (before pause, resume, extend, cancel). */
  bareSignalPerSec: number;
  bareBeforeResumePerSec: number;
  bareBeforeExtendPerSec: number;
  bareBeforeCancelPerSec: number;
  pausePerSec: number;
  resumePerSec: number;
  extendPerSec: number;
  cancelPerSec: number;
  /** ms from the request until every unit's own write of it has landed (the read model already showed it). */
  pauseUnitWritesMs: number;
  resumeUnitWritesMs: number;
  extendUnitWritesMs: number;
  cancelUnitWritesMs: number;
  maxUnitHistoryEvents: number;
  cycleHistoryEvents: number;
  /** WorkflowTaskTimedOut events in the sampled unit histories and every run of the coordinator. */
  workflowTaskTimeoutsInHistories: number;
  /** The same by kind: a sticky queue's schedule-to-start (the task goes to the normal queue) / start-to-close. */
  workflowTaskTimeoutKinds: string;
  profiles: Record<string, PhaseProfile>;
  /** Per fan-out, ms after the request: the coordinator got the signal / scheduled its first batch / a worker started it / the last batch completed. */
  timelines: Record<string, string>;
}

/** Snapshots of both metrics endpoints around `work`. */
export async function profiled<T>(
  stack: Stack,
  profiles: Record<string, PhaseProfile>,
  phase: string,
  work: () => Promise<T>,
): Promise<T> {
  const before = await Promise.all([
    MetricsSnapshot.take(stack.metrics.server),
    MetricsSnapshot.take(stack.metrics.sdk),
  ]);
  let rssPeak = process.memoryUsage.rss();
  const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage.rss())), 500);
  try {
    const result = await work();
    const after = await Promise.all([
      MetricsSnapshot.take(stack.metrics.server),
      MetricsSnapshot.take(stack.metrics.sdk),
    ]);
    profiles[phase] = {
      ...profile([before[0], after[0]], [before[1], after[1]]),
      rssPeakMb: Math.round(rssPeak / 2 ** 20),
    };
    return result;
  } finally {
    clearInterval(sampler);
  }
}

export async function fanoutSuite(
  stack: Stack,
  cycle: { id: string; workflowId: string },
  opts: {
    units: number;
    stepKey: string;
    profiles: Record<string, PhaseProfile>;
    /** default true */ waitForUnitWrites?: boolean;
  },
  log: (m: string) => void,
): Promise<FanoutFigures> {
  const { units, profiles } = opts;
  const f = { timelines: {} } as unknown as FanoutFigures;
  const workflowIds: string[] = (
    await stack.sql.query('SELECT workflow_id FROM cycle_unit WHERE cycle_id = $1 ORDER BY ordinal', [cycle.id])
  ).rows.map((r) => r.workflow_id);

  const newDueAt = new Date(Date.now() + 40 * 86_400_000).toISOString();
  const fanouts = [
    {
      verb: 'pause',
      bare: 'bareSignalPerSec',
      body: { reason: 'bench' },
      shown: `cycle_unit WHERE cycle_id = $1 AND status = 'paused'`,
      event: 'paused',
    },
    {
      verb: 'resume',
      bare: 'bareBeforeResumePerSec',
      body: { reason: 'bench' },
      shown: `cycle_unit WHERE cycle_id = $1 AND status = 'running'`,
      event: 'resumed',
    },
    {
      verb: 'extend',
      bare: 'bareBeforeExtendPerSec',
      body: { stepKey: opts.stepKey, newDueAt, reason: 'bench' },
      shown: `unit_step_status WHERE cycle_id = $1 AND step_key = '${opts.stepKey}' AND due_at = '${newDueAt}'`,
      event: 'extended',
    },
    {
      verb: 'cancel',
      bare: 'bareBeforeCancelPerSec',
      body: { reason: 'bench' },
      shown: `cycle_unit WHERE cycle_id = $1 AND status = 'cancelled'`,
      event: 'cancelled',
    },
  ] as const;
  let paused = false;
  for (const { verb, bare, body, shown, event } of fanouts) {
    log(`bare signal loop before ${verb}: ${units} no-op signals`);
    await settled(stack);
    let t = Date.now();
    // a no-op for every unit in its present state
    const noop = paused ? pauseSignal : resumeSignal;
    await profiled(stack, profiles, `bare loop before ${verb}`, () =>
      inFlight(workflowIds, SIGNAL_WIDTH, (id) =>
        stack.env.client.workflow.getHandle(id).signal(noop, { actor: 'bench' }),
      ),
    );
    f[bare] = rate(units, Date.now() - t);
    paused = verb === 'pause';

    log(`our ${verb} fan-out`);
    await settled(stack); // the bare loop's no-op signals still wake 1,000 workflows after it returns
    t = Date.now();
    const ms = await profiled(stack, profiles, verb, async () => {
      await call(stack, 'POST', `/api/cycles/${cycle.id}/${verb}`, body);
      return until(verb, async () => (await count(stack, shown, [cycle.id])) === units, t, 30 * 60_000);
    });
    f[`${verb}PerSec`] = rate(units, ms);
    f.timelines[verb] = await coordinatorTimeline(stack, cycle.workflowId, t);
    if (opts.waitForUnitWrites === false && verb !== 'cancel') continue;
    f[`${verb}UnitWritesMs`] = await until(
      `${verb}: unit writes`,
      async () => (await count(stack, `unit_event WHERE cycle_id = $1 AND kind = $2`, [cycle.id, event])) === units,
      t,
      30 * 60_000,
    );
  }

  const sample = workflowIds.filter((_, i) => i % Math.max(1, Math.floor(units / 20)) === 0);
  const histories = await Promise.all(sample.map((id) => stack.env.client.workflow.getHandle(id).fetchHistory()));
  const coordinatorRuns = await historiesOfAllRuns(stack, cycle.workflowId);
  f.maxUnitHistoryEvents = Math.max(...histories.map((h) => h.events?.length ?? 0));
  f.cycleHistoryEvents = Math.max(...coordinatorRuns.map((h) => h.events?.length ?? 0));
  const timedOut = [...histories, ...coordinatorRuns].flatMap((h) =>
    (h.events ?? []).filter((e) => e.workflowTaskTimedOutEventAttributes),
  );
  f.workflowTaskTimeoutsInHistories = timedOut.length;
  const kind = (type: number) =>
    timedOut.filter((e) => e.workflowTaskTimedOutEventAttributes!.timeoutType === type).length;
  f.workflowTaskTimeoutKinds = `${kind(2)} schedule-to-start / ${kind(1)} start-to-close`;
  return f;
}

/**
 * Waits until the worker has run no workflow or activity task for a second (SDK metrics), so the next measured phase
 * does not queue behind the previous one's tail (without metrics: a fixed 5 s).
 */
export async function settled(stack: Stack, quietMs = 1000, timeoutMs = 10 * 60_000): Promise<void> {
  const done = async () => {
    const m = await MetricsSnapshot.take(stack.metrics.sdk);
    return (
      m.total('temporal_workflow_task_execution_latency_count') + m.total('temporal_activity_execution_latency_count')
    );
  };
  const deadline = Date.now() + timeoutMs;
  let last = await done();
  let since = Date.now();
  if (!last) return void (await new Promise((r) => setTimeout(r, 5000)));
  while (Date.now() - since < quietMs && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const now = await done();
    if (now !== last) [last, since] = [now, Date.now()];
  }
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/**
 * One batch activity's span in coordinator events (server clock), ms after `since`: when the first batch was
 * scheduled and began, when the last one completed.
 */
function batchSpan(events: HistoryEvent[], activity: string, since: number): string {
  const at = (e: HistoryEvent | undefined) => (e?.eventTime ? Math.round(tsToMs(e.eventTime) - since) : NaN);
  const byTime = (x: HistoryEvent, y: HistoryEvent) => at(x) - at(y);
  const scheduled = events
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === activity)
    .sort(byTime);
  const ids = new Set(scheduled.map((e) => String(e.eventId)));
  const started = events
    .filter((e) => ids.has(String(e.activityTaskStartedEventAttributes?.scheduledEventId)))
    .sort(byTime);
  const completed = events
    .filter((e) => ids.has(String(e.activityTaskCompletedEventAttributes?.scheduledEventId)))
    .sort(byTime);
  return `first batch scheduled ${at(scheduled[0])} / started ${at(started[0])} / last completed ${at(completed.at(-1))} (${scheduled.length} batches)`;
}

/** Where the coordinator spent the last broadcast, from its history (server clock), ms after `since`. */
async function coordinatorTimeline(stack: Stack, workflowId: string, since: number): Promise<string> {
  const events = (await stack.env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const signal = events.filter((e) => e.workflowExecutionSignaledEventAttributes).at(-1);
  const after = events.filter((e) => Number(e.eventId) > Number(signal?.eventId ?? 0));
  const signalAt = signal?.eventTime ? Math.round(tsToMs(signal.eventTime) - since) : NaN;
  return `signal ${signalAt} / ${batchSpan(after, 'signalUnitWorkflowBatch', since)}`;
}

/**
 * Where the coordinator spent the start, from its histories (every run; server clock): when its first start batch
 * was scheduled and began (the fixed cost before any unit start), and when the last one completed.
 */
export async function coordinatorStartTimeline(stack: Stack, workflowId: string, since: number): Promise<string> {
  const events = (await historiesOfAllRuns(stack, workflowId)).flatMap((h) => h.events ?? []);
  return batchSpan(events, 'startUnitWorkflowBatch', since);
}

/** Every run of a workflow id, following continue-as-new back from the latest. */
async function historiesOfAllRuns(stack: Stack, workflowId: string): Promise<temporal.api.history.v1.IHistory[]> {
  const runs = [await stack.env.client.workflow.getHandle(workflowId).fetchHistory()];
  for (;;) {
    const previous = runs[0].events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
    if (!previous) return runs;
    runs.unshift(await stack.env.client.workflow.getHandle(workflowId, previous).fetchHistory());
  }
}

export const rate = (n: number, ms: number) => +(n / (ms / 1000)).toFixed(1);

import type { ActivityInboundCallsInterceptor, ActivityExecuteInput, Next } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CycleFanoutActivities } from '../../../activities/campaign/cycle-fanout.activities';
import {
  UnitReadModelActivities,
  type RecordUnitTransitionInput,
} from '../../../activities/campaign/unit-read-model.activities';
import type { campaignCycleWorkflow } from '../../../workflows/campaign/campaign-cycle.workflow';
import {
  cycleCancelSignal,
  cyclePauseSignal,
  cycleProgressQuery,
  cycleResumeSignal,
} from '../../../workflows/campaign/messages';
import type { CycleControl } from '../../../workflows/campaign/types';
import { nextWholeMinute, seedCycle, threeStagePlan, type SeededCycle } from '../../support/campaign-factory';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTimeSkippingEnv } from '../../support/time-skipping';
import { createTestWorker, type TestWorker } from '../../support/worker';
import { eventually } from '../../support/eventually';

/**
 * Holds the unit workflows' read-model writes (recordUnitTransition) while closed, and lets them through one at a
 * time: a stand-in for a worker too busy to run them at once, at the activity's edge (a worker interceptor). The
 * workflows, the activities, Temporal and PostgreSQL are all real.
 */
class WriteGate<I = RecordUnitTransitionInput> {
  private open = true;
  private readonly held: { input: I; release: () => void }[] = [];
  private completed = 0;

  close() {
    this.open = false;
  }

  /** Lets everything through again, held writes first. */
  reopen() {
    this.open = true;
    for (const h of this.held.splice(0)) h.release();
  }

  async pass(input: I): Promise<void> {
    if (this.open) return;
    await new Promise<void>((release) => this.held.push({ input, release }));
  }

  done() {
    this.completed++;
  }

  /** The held writes' event kinds, oldest first. */
  heldKinds(): string[][] {
    return this.held.map((h) => (h.input as RecordUnitTransitionInput).events.map((e) => e.kind));
  }

  heldCount(): number {
    return this.held.length;
  }

  /** Lets the oldest held write run and waits until it has committed; returns its input. */
  async releaseOne(): Promise<I> {
    const next = this.held.shift()!;
    const before = this.completed;
    next.release();
    await eventually(
      async () => this.completed,
      (n) => n > before,
    );
    return next.input;
  }
}

describe('cycle fan-out vs the units’ own late writes (time-skipping server, real PostgreSQL, writes held at the activity edge)', () => {
  const taskQueue = 'cycle-fanout-race';
  const gate = new WriteGate();
  /** Holds the coordinator's first activity, so signals sent meanwhile are all pending when it goes on. */
  const coordinatorGate = new WriteGate<unknown>();
  const gates = new Map<string, WriteGate<any>>([
    ['recordUnitTransition', gate],
    ['loadCycleOrdinalRange', coordinatorGate],
  ]);
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let worker: TestWorker;
  let running: Promise<void>;
  let fanout: CycleFanoutActivities;
  let readModel: UnitReadModelActivities;

  beforeAll(async () => {
    [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
    const gatedBy = (g: WriteGate<any>): ActivityInboundCallsInterceptor => ({
      async execute(input: ActivityExecuteInput, next: Next<ActivityInboundCallsInterceptor, 'execute'>) {
        await g.pass(input.args[0]);
        try {
          return await next(input);
        } finally {
          g.done();
        }
      },
    });
    worker = await createTestWorker({
      connection: env.nativeConnection,
      client: env.client,
      databaseUrl: db.url,
      taskQueue,
      workerOptions: {
        interceptors: {
          activity: [
            (ctx) => (gates.has(ctx.info.activityType) ? { inbound: gatedBy(gates.get(ctx.info.activityType)!) } : {}),
          ],
        },
      },
    });
    running = worker.worker.run();
    fanout = worker.nest.get(CycleFanoutActivities, { strict: false });
    readModel = worker.nest.get(UnitReadModelActivities, { strict: false });
  });

  afterAll(async () => {
    gate.reopen();
    coordinatorGate.reopen();
    if (worker?.worker.getState() === 'RUNNING') worker.worker.shutdown();
    await running?.catch(() => undefined);
    await worker?.close();
    await env?.teardown();
    await db?.drop();
  });

  const statusOf = async (cycle: SeededCycle) =>
    (
      await db.query(`SELECT status FROM cycle_unit WHERE cycle_id = $1 AND unit_id = $2`, [
        cycle.cycleId,
        cycle.units[0].id,
      ])
    )[0].status;
  /** Waits until the gate holds exactly one write; returns what it holds then (read again, so a second write shows). */
  const oneWriteHeld = () =>
    eventually(
      async () => gate.heldKinds(),
      (k) => k.length === 1,
    ).then(() => gate.heldKinds());
  const broadcast = (cycle: SeededCycle, control: CycleControl) =>
    fanout.signalUnitWorkflowBatch({ cycleId: cycle.cycleId, fromOrdinal: 0, toOrdinal: 1, control });

  /** One unit, its workflow started by the coordinator's batch activity, its first writes committed. */
  async function startedUnit(): Promise<SeededCycle> {
    gate.reopen();
    const t0 = await nextWholeMinute(() => env.currentTimeMs());
    const cycle = await seedCycle(db, { plan: threeStagePlan(t0), unitCount: 1 });
    expect(await fanout.startUnitWorkflowBatch({ cycleId: cycle.cycleId, fromOrdinal: 0, toOrdinal: 1 })).toEqual({
      started: 1,
      alreadyStarted: 0,
      withoutPlan: 0,
    });
    await eventually(
      () => db.query(`SELECT kind FROM unit_event WHERE cycle_id = $1 ORDER BY seq`, [cycle.cycleId]),
      (r) => r.map((e) => e.kind).join() === 'started,stage_entered',
    );
    return cycle;
  }

  it('pause then resume in quick succession: the unit’s late "paused" write does not put the resumed unit back to paused', async () => {
    const cycle = await startedUnit();
    gate.close();

    expect(await broadcast(cycle, { kind: 'pause', actor: 'office-1' })).toEqual({ signalled: 1, notRunning: 0 });
    expect(await statusOf(cycle)).toBe('paused'); // shown at once, before the unit writes it
    expect(await oneWriteHeld()).toEqual([['paused']]);

    expect(await broadcast(cycle, { kind: 'resume', actor: 'office-1' })).toEqual({ signalled: 1, notRunning: 0 });
    expect(await statusOf(cycle)).toBe('running');

    // The unit's write of its pause lands now, after the office's resume reached it: the row must stay running.
    const late = await gate.releaseOne();
    expect(late.unit.status).toBe('paused');
    expect(await statusOf(cycle)).toBe('running');
    // A retry of that same write (the activity ran twice) changes nothing either.
    await readModel.recordUnitTransition(late);
    expect(await statusOf(cycle)).toBe('running');

    // Then the unit's own resume write: running, and nothing is awaited any more.
    expect(await oneWriteHeld()).toEqual([['resumed']]);
    await gate.releaseOne();
    expect(
      await db.query(`SELECT status, awaiting_events FROM cycle_unit WHERE cycle_id = $1`, [cycle.cycleId]),
    ).toEqual([{ status: 'running', awaiting_events: [] }]);
  });

  it('pause, resume, pause faster than the unit writes: every late write keeps the latest control’s status', async () => {
    const cycle = await startedUnit();
    gate.close();
    await broadcast(cycle, { kind: 'pause', actor: 'office-1' });
    await oneWriteHeld();
    await broadcast(cycle, { kind: 'resume', actor: 'office-1' });
    await broadcast(cycle, { kind: 'pause', actor: 'office-1' });
    expect(await statusOf(cycle)).toBe('paused');

    const seen: string[] = [];
    for (const kinds of [['paused'], ['resumed'], ['paused']]) {
      expect(await oneWriteHeld()).toEqual([kinds]);
      await gate.releaseOne();
      seen.push(await statusOf(cycle));
    }
    expect(seen).toEqual(['paused', 'paused', 'paused']);
    expect(await db.query(`SELECT awaiting_events FROM cycle_unit WHERE cycle_id = $1`, [cycle.cycleId])).toEqual([
      { awaiting_events: [] },
    ]);
  });

  it('pause then cancel: a cancelled unit stays cancelled while its late "paused" write lands', async () => {
    const cycle = await startedUnit();
    gate.close();
    await broadcast(cycle, { kind: 'pause', actor: 'office-1' });
    await oneWriteHeld();
    await broadcast(cycle, { kind: 'cancel', actor: 'office-1' });
    expect(await statusOf(cycle)).toBe('cancelled');

    await gate.releaseOne();
    expect(await statusOf(cycle)).toBe('cancelled');
    expect(await oneWriteHeld()).toEqual([['cancelled']]);
    await gate.releaseOne();
    expect(
      await db.query(
        `SELECT status, awaiting_events, completed_at IS NOT NULL AS completed FROM cycle_unit WHERE cycle_id = $1`,
        [cycle.cycleId],
      ),
    ).toEqual([{ status: 'cancelled', awaiting_events: [], completed: true }]);
  });

  it('pause then resume before the coordinator broadcast them: the cycle status goes to running, never back to paused', async () => {
    gate.reopen();
    const t0 = await nextWholeMinute(() => env.currentTimeMs());
    const cycle = await seedCycle(db, { plan: threeStagePlan(t0), unitCount: 3 });
    coordinatorGate.close();
    const handle = await env.client.workflow.start<typeof campaignCycleWorkflow>('campaignCycleWorkflow', {
      workflowId: cycle.workflowId,
      taskQueue,
      args: [{ cycleId: cycle.cycleId, unitCount: 3, batchSize: 2, window: 2 }],
    });
    await eventually(
      async () => coordinatorGate.heldCount(),
      (n) => n === 1,
    );
    // As the api does: signal the coordinator, record the office's decision.
    await handle.signal(cyclePauseSignal, { actor: 'office-1' });
    await db.query(`UPDATE campaign_cycle SET status = 'paused' WHERE id = $1`, [cycle.cycleId]);
    await handle.signal(cycleResumeSignal, { actor: 'office-1' });
    await db.query(`UPDATE campaign_cycle SET status = 'running' WHERE id = $1`, [cycle.cycleId]);
    coordinatorGate.reopen();

    await eventually(
      () => handle.query(cycleProgressQuery),
      (p) => p.state === 'running' && p.started === 3,
      30_000,
    );
    // 'starting' first, 'running' once every unit is started, then only the last control's state: no 'paused'.
    await eventually(
      () => statusWrites(handle),
      (w) => w.length >= 3,
      30_000,
    );
    expect(await statusWrites(handle)).toEqual(['starting', 'running', 'running']);
    expect(await db.query(`SELECT status FROM campaign_cycle WHERE id = $1`, [cycle.cycleId])).toEqual([
      { status: 'running' },
    ]);
    await eventually(
      () =>
        db.query(`SELECT status, count(*)::int AS n FROM cycle_unit WHERE cycle_id = $1 GROUP BY status`, [
          cycle.cycleId,
        ]),
      (r) => r.length === 1 && r[0].status === 'running' && r[0].n === 3,
    );
    await handle.signal(cycleCancelSignal, { actor: 'office-1' });
  });

  it('a broadcast that would pass the history budget starts in a fresh run of the coordinator', async () => {
    gate.reopen();
    const t0 = await nextWholeMinute(() => env.currentTimeMs());
    const cycle = await seedCycle(db, { plan: threeStagePlan(t0), unitCount: 3 });
    // 3 batches of one unit: a broadcast costs ≤ 18 events; the start run alone is past 30.
    const handle = await env.client.workflow.start<typeof campaignCycleWorkflow>('campaignCycleWorkflow', {
      workflowId: cycle.workflowId,
      taskQueue,
      args: [{ cycleId: cycle.cycleId, unitCount: 3, batchSize: 1, window: 1, historyBudget: 30 }],
    });
    await eventually(
      () => handle.query(cycleProgressQuery),
      (p) => p.state === 'running' && p.started === 3,
      30_000,
    );
    await handle.signal(cyclePauseSignal, { actor: 'office-1' });
    await eventually(
      () => unitStatuses(cycle),
      (r) => r === 'paused,paused,paused',
      30_000,
    );
    await handle.signal(cycleResumeSignal, { actor: 'office-1' });
    await eventually(
      () => unitStatuses(cycle),
      (r) => r === 'running,running,running',
      30_000,
    );
    await eventually(
      () => statusWrites(env.client.workflow.getHandle(cycle.workflowId)),
      (w) => w.at(-1) === 'running' && w.length >= 1,
      30_000,
    );

    const runs = await historiesOfAllRuns(env, cycle.workflowId);
    // the start run, then one run per broadcast (each would have passed 30 events in the run before)
    expect(runs.length).toBe(3);
    for (const events of runs.slice(1)) expect(events.length).toBeLessThanOrEqual(40);
    const broadcasts = runs.map(
      (events) =>
        events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'signalUnitWorkflowBatch')
          .length,
    );
    expect(broadcasts).toEqual([0, 3, 3]);
    await handle.signal(cycleCancelSignal, { actor: 'office-1' });
  });

  const unitStatuses = async (cycle: SeededCycle) =>
    (await db.query(`SELECT status FROM cycle_unit WHERE cycle_id = $1 ORDER BY ordinal`, [cycle.cycleId]))
      .map((r) => r.status)
      .join();
});

/** The statuses the coordinator wrote to campaign_cycle, in order (its setCycleStatus activities). */
async function statusWrites(handle: WorkflowHandle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return events!
    .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'setCycleStatus')
    .map(
      (e) =>
        JSON.parse(Buffer.from(e.activityTaskScheduledEventAttributes!.input!.payloads![0].data!).toString()).status,
    );
}

/** Histories of every run of a workflow id, oldest first (follows the continued-as-new chain). */
async function historiesOfAllRuns(env: TestWorkflowEnvironment, workflowId: string) {
  const runs = [(await env.client.workflow.getHandle(workflowId).fetchHistory()).events!];
  for (;;) {
    const previous = runs[0][0].workflowExecutionStartedEventAttributes!.continuedExecutionRunId;
    if (!previous) return runs;
    runs.unshift((await env.client.workflow.getHandle(workflowId, previous).fetchHistory()).events!);
  }
}

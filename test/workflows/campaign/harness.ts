import { tsToMs } from '@temporalio/common';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UnitWorkflowInput } from '../../../workflows/campaign/types';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import type { unitCampaignWorkflow } from '../../../workflows/campaign/unit-campaign.workflow';
import { nextWholeMinute, seedCycle, threeStagePlan, unitInput } from '../../support/campaign-factory';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTimeSkippingEnv } from '../../support/time-skipping';
import { rejectionOf } from '../../support/rejection';
import { isoOf } from '../../support/time';
import { startWorkers, type TestWorker } from '../../support/worker';

export interface CampaignHarness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  worker: TestWorker;
  taskQueue: string;
  /** Skips the test server's clock forward to `atMs` (timers due on the way fire in order). */
  advanceTo(atMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Time-skipping server + fresh database + the real worker (real activities via Nest DI), polling for the whole file. */
export async function startHarness(
  taskQueue: string,
  workerEnv: Record<string, string> = {},
): Promise<CampaignHarness> {
  const [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  const { worker, stop } = await startWorkers(env, db, taskQueue, workerEnv);
  return {
    env,
    db,
    worker,
    taskQueue,
    advanceTo: async (atMs) => {
      const now = await env.currentTimeMs();
      if (atMs > now) await env.sleep(atMs - now);
    },
    close: async () => {
      await stop();
      await env.teardown();
      await db.drop();
    },
  };
}

/**
 * The harness for the describe block it is called in: started before its tests and closed after them. Its fields
 * are read through to the started harness, so tests use it as they would startHarness's result.
 */
export function useHarness(taskQueue: string, workerEnv: Record<string, string> = {}): CampaignHarness {
  let started: CampaignHarness | undefined;
  beforeAll(async () => {
    started = await startHarness(taskQueue, workerEnv);
  });
  afterAll(() => started?.close());
  const current = () => {
    if (!started) throw new Error('the harness starts in beforeAll: use it inside hooks and tests');
    return started;
  };
  return {
    get env() {
      return current().env;
    },
    get db() {
      return current().db;
    },
    get worker() {
      return current().worker;
    },
    taskQueue,
    advanceTo: (atMs) => current().advanceTo(atMs),
    close: () => current().close(),
  };
}

export interface NoticeView {
  step: string;
  kind: string;
  rung: number;
  audience: string;
  occurrence: number;
  scheduledFor: string;
  dueAt: string;
  dedupeKey: string;
}

export async function noticesOf(db: TestDatabase, unitId: string): Promise<NoticeView[]> {
  const rows = await db.query(
    `SELECT step_key, kind, rung, audience, occurrence, scheduled_for, due_at, dedupe_key FROM notice WHERE unit_id = $1 ORDER BY scheduled_for, id`,
    [unitId],
  );
  return rows.map((r) => ({
    step: r.step_key,
    kind: r.kind,
    rung: r.rung,
    audience: r.audience,
    occurrence: r.occurrence,
    scheduledFor: r.scheduled_for.toISOString(),
    dueAt: r.due_at.toISOString(),
    dedupeKey: r.dedupe_key,
  }));
}

export interface EventView {
  seq: number;
  kind: string;
  step: string | null;
  at: string;
  actor: string;
  summary: string;
}

export async function eventsOf(db: TestDatabase, unitId: string): Promise<EventView[]> {
  const rows = await db.query(
    `SELECT seq, kind, step_key, at, actor, summary FROM unit_event WHERE unit_id = $1 ORDER BY seq`,
    [unitId],
  );
  return rows.map((r) => ({
    seq: r.seq,
    kind: r.kind,
    step: r.step_key,
    at: r.at.toISOString(),
    actor: r.actor,
    summary: r.summary,
  }));
}

export interface StepRowView {
  status: string;
  dueAt: string;
  openedAt: string | null;
  acceptedAt: string | null;
  waivedAt: string | null;
  escalationLevel: number;
  onBulletin: boolean;
}

export async function stepRowsOf(db: TestDatabase, unitId: string): Promise<Record<string, StepRowView>> {
  const rows = await db.query(
    `SELECT step_key, status, due_at, opened_at, accepted_at, waived_at, escalation_level, on_bulletin FROM unit_step_status WHERE unit_id = $1 ORDER BY step_key`,
    [unitId],
  );
  return Object.fromEntries(
    rows.map((r) => [
      r.step_key,
      {
        status: r.status,
        dueAt: r.due_at.toISOString(),
        openedAt: r.opened_at?.toISOString() ?? null,
        acceptedAt: r.accepted_at?.toISOString() ?? null,
        waivedAt: r.waived_at?.toISOString() ?? null,
        escalationLevel: r.escalation_level,
        onBulletin: r.on_bulletin,
      },
    ]),
  );
}

/** Instants at which the workflow's timers fired, from its history (the server's own clock, not ours). */
export async function timerFiredTimes(handle: WorkflowHandle): Promise<string[]> {
  const { events } = await handle.fetchHistory();
  return events!.filter((e) => e.timerFiredEventAttributes).map((e) => isoOf(tsToMs(e.eventTime!)));
}

/** With RECORD_HISTORIES=1 the scenario's history is written for the replay test (test/workflows/replay/histories). */
export async function maybeRecordHistory(handle: WorkflowHandle, name: string): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1') return;
  const dir = join(__dirname, '..', 'replay', 'histories');
  mkdirSync(dir, { recursive: true });
  const history = await handle.fetchHistory();
  // protobufjs JSON (enums and 64-bit numbers as strings, payload bytes base64); read back with History.fromObject.
  writeFileSync(
    join(dir, `${name}.json`),
    `${JSON.stringify(temporal.api.history.v1.History.fromObject(history).toJSON(), null, 1)}\n`,
  );
}

/** One unit on the hand-written three-stage plan, starting at the next whole minute of the test server's clock. */
export async function startThreeStageUnit(h: CampaignHarness, extra: Partial<UnitWorkflowInput> = {}) {
  const t0 = await nextWholeMinute(() => h.env.currentTimeMs());
  const plan = threeStagePlan(t0);
  const cycle = await seedCycle(h.db, { plan, unitCount: 1 });
  const unit = cycle.units[0];
  const handle = await h.env.client.workflow.start<typeof unitCampaignWorkflow>('unitCampaignWorkflow', {
    workflowId: unitWorkflowId(cycle.cycleId, unit.id),
    taskQueue: h.taskQueue,
    args: [unitInput(cycle, unit, plan, extra)],
  });
  return { t0, plan, cycle, unit, handle };
}

/** Awaits a workflow update expected to fail, and checks the failure names `reason`. */
export async function expectRejection(p: Promise<unknown>, reason: string) {
  const error = await rejectionOf(p, WorkflowUpdateFailedError);
  expect(String(error.cause?.message)).toContain(reason);
}

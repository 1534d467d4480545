import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WorkerHeartbeatRepository } from '../../libs/persistence/src/repositories/worker-heartbeat.repository';
import { HEARTBEAT_INTERVAL_MS } from '../../libs/persistence/src/worker-heartbeat';
import { createTestApi } from './api';
import { createTestDatabase, TestDatabase } from './database';
import { createTimeSkippingEnv } from './time-skipping';
import { listenOnFreePort, within } from './timed-http';
import { createTestWorker, TestWorker } from './worker';

export interface ApiStack {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  api: INestApplication;
  worker: TestWorker;
  /** `http://127.0.0.1:<port>` when started with `listen`. */
  base: string;
  close(): Promise<void>;
}

/**
 * The whole stack for an api test: time-skipping Temporal, a fresh database, a real worker with the real activities
 * polling `taskQueue` (with the worker app's heartbeat), and the real api (optionally listening on a free port of 127.0.0.1). `close()` bounds the
 * api's and the worker's shutdown, so a wedged api (what a reliability test may find) cannot hang the cleanup.
 */
export async function startApiStack(opts: { taskQueue: string; env?: Record<string, string>; listen?: boolean }): Promise<ApiStack> {
  const [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  const worker = await createTestWorker({ connection: env.nativeConnection, client: env.client, databaseUrl: db.url, taskQueue: opts.taskQueue });
  const running = worker.worker.run();
  // the worker app's heartbeat (the test worker runs in this process): /health reports the worker up while it runs
  const heartbeats = new WorkerHeartbeatRepository(db);
  await heartbeats.beat(opts.taskQueue);
  const beating = setInterval(() => void heartbeats.beat(opts.taskQueue).catch(() => undefined), HEARTBEAT_INTERVAL_MS);
  beating.unref();
  const api = await createTestApi({
    databaseUrl: db.url,
    temporal: env.client,
    env: { TEMPORAL_TASK_QUEUE: opts.taskQueue, ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'att-')), ...opts.env },
  });
  const base = opts.listen ? await listenOnFreePort(api) : '';
  return {
    env,
    db,
    api,
    worker,
    base,
    close: async () => {
      clearInterval(beating);
      await within(api.close(), 10_000);
      if (worker.worker.getState() === 'RUNNING') worker.worker.shutdown();
      await within(running.catch(() => undefined), 10_000);
      await within(worker.close(), 5_000);
      await env.teardown();
      await db.drop();
    },
  };
}

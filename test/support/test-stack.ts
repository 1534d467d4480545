import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import request from 'supertest';
import { createTestApi } from './api';
import { loginAs, type LoggedIn } from './auth';
import { createTestDatabase, type TestDatabase } from './database';
import { createTimeSkippingEnv } from './time-skipping';
import { startWorkers, type TestWorker } from './worker';

export interface TestStack {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  api: INestApplication;
  /** An office_admin account, signed in. */
  office: LoggedIn;
  /** A supertest agent on the api with the office's token. */
  asOffice(): ReturnType<typeof request.agent>;
  /** Starts the real worker and the notice channels' workers on the stack's task queue (the stack stops them). */
  startWorkers(): Promise<TestWorker>;
  close(): Promise<void>;
}

/**
 * Time-skipping Temporal, a fresh database, the real api with the office signed in, and (unless `workers: false`,
 * for a test that reads before any worker polls) the real workers. What has started is closed again if a later
 * step fails, and `close()` stops everything in reverse order.
 */
export async function startTestStack(opts: {
  taskQueue: string;
  workers?: boolean;
  env?: Record<string, string>;
}): Promise<TestStack> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.splice(0).reverse()) await c();
  };
  try {
    const [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
    closers.push(
      () => db.drop(),
      () => env.teardown(),
    );
    const api = await createTestApi({
      databaseUrl: db.url,
      temporal: env.client,
      env: { TEMPORAL_TASK_QUEUE: opts.taskQueue, ...opts.env },
    });
    closers.push(() => api.close());
    const workers = async () => {
      const started = await startWorkers(env, db, opts.taskQueue);
      closers.splice(2, 0, started.stop); // stopped after the api closes, before Temporal and the database
      return started.worker;
    };
    if (opts.workers !== false) await workers();
    const office = await loginAs(api, 'office_admin');
    return {
      env,
      db,
      api,
      office,
      asOffice: () => request.agent(api.getHttpServer()).set(office.headers),
      startWorkers: workers,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export interface TestApi {
  db: TestDatabase;
  api: INestApplication;
}

/**
 * The real api on a fresh database, without Temporal, for the describe block it is called in: started before the
 * block's tests (before the block's own beforeAll hooks, declared after it) and closed after them.
 */
export function useTestApi(opts: { env?: Record<string, string> } = {}): TestApi {
  const stack = {} as TestApi;
  beforeAll(async () => {
    stack.db = await createTestDatabase();
    stack.api = await createTestApi({ databaseUrl: stack.db.url, env: opts.env });
  });
  afterAll(async () => {
    await stack.api?.close();
    await stack.db?.drop();
  });
  return stack;
}

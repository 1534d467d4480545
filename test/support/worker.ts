import { Module, type INestApplicationContext } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { readFileSync } from 'node:fs';
import { ActivitiesModule } from '../../activities/activities.module';
import { collectActivities } from '../../activities/collect-activities';
import { NoticeDeliveryActivities } from '../../activities/notices/notice-delivery.activities';
import { createNoticeWorkers } from '../../apps/worker/src/notice-workers';
import { AppConfigModule, structuredLogger } from '../../libs/config/src';
import { PersistenceModule } from '../../libs/persistence/src';
import { TEMPORAL_CLIENT, TemporalClientModule } from '../../libs/temporal/src';
import type { TestDatabase } from './database';
import { testConfig } from './env';

@Module({
  imports: [AppConfigModule, structuredLogger('worker'), PersistenceModule, TemporalClientModule, ActivitiesModule],
})
class TestWorkerModule {}

/** The workflow bundle global-setup made from workflows/index.ts (bundling per file would cost ~5 s each). */
export function testWorkflowBundle() {
  if (process.env.TEST_WORKFLOW_BUNDLE_ERROR)
    throw new Error(`workflow bundle failed: ${process.env.TEST_WORKFLOW_BUNDLE_ERROR}`);
  return { code: readFileSync(process.env.TEST_WORKFLOW_BUNDLE!, 'utf8') };
}

export interface TestWorker {
  worker: Worker;
  nest: INestApplicationContext;
  /** Runs `fn` while the worker polls, then shuts the worker down. */
  runUntil<R>(work: Promise<R> | (() => Promise<R>)): Promise<R>;
  close(): Promise<void>;
}

/**
 * A real worker with the real activity providers (Nest DI, TypeORM on the test database), polling the given
 * Temporal connection. `client` is what activities that talk to Temporal receive.
 */
export async function createTestWorker(opts: {
  connection: NativeConnection;
  client: Client;
  databaseUrl: string;
  taskQueue: string;
  namespace?: string;
  env?: Record<string, string>;
  workerOptions?: Partial<WorkerOptions>;
}): Promise<TestWorker> {
  const moduleRef = await Test.createTestingModule({ imports: [TestWorkerModule] })
    .overrideProvider(ConfigService)
    .useValue(testConfig({ DATABASE_URL: opts.databaseUrl, TEMPORAL_TASK_QUEUE: opts.taskQueue, ...opts.env }))
    .overrideProvider(TEMPORAL_CLIENT)
    .useValue(opts.client)
    .compile();
  const nest = await moduleRef.init();
  const worker = await Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    workflowBundle: testWorkflowBundle(),
    activities: collectActivities((cls) => nest.get(cls, { strict: false })),
    ...opts.workerOptions,
  });
  return {
    worker,
    nest,
    runUntil: <R>(work: Promise<R> | (() => Promise<R>)) => worker.runUntil(typeof work === 'function' ? work() : work),
    close: () => nest.close(),
  };
}

/**
 * The real worker plus the notice channels' workers, as the worker app hosts them: deliveries complete, so no
 * activity stays pending and the time-skipping server can skip. Returns a stop function.
 */
export async function startWorkers(
  env: TestWorkflowEnvironment,
  db: Pick<TestDatabase, 'url'>,
  taskQueue: string,
  workerEnv: Record<string, string> = {},
): Promise<{ worker: TestWorker; stop(): Promise<void> }> {
  const worker = await createTestWorker({
    connection: env.nativeConnection,
    client: env.client,
    databaseUrl: db.url,
    taskQueue,
    env: workerEnv,
  });
  const noticeWorkers = await createNoticeWorkers({
    connection: env.nativeConnection,
    namespace: 'default',
    baseTaskQueue: taskQueue,
    config: worker.nest.get(ConfigService),
    activities: worker.nest.get(NoticeDeliveryActivities, { strict: false }),
  });
  const all = [worker.worker, ...noticeWorkers];
  const running = Promise.all(all.map((w) => w.run()));
  return {
    worker,
    stop: async () => {
      for (const w of all) if (w.getState() === 'RUNNING') w.shutdown();
      await running.catch(() => undefined);
      await worker.close();
    },
  };
}

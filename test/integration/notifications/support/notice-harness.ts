import { ConfigService } from '@nestjs/config';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { NoticeDeliveryActivities } from '../../../../activities/notices/notice-delivery.activities';
import type { DeliverNoticeResult, PlannedDelivery } from '../../../../activities/notices/notice-delivery.contract';
import { createNoticeWorkers } from '../../../../apps/worker/src/notice-workers';
import type { noticeDeliveryWorkflow } from '../../../../workflows/notices/notice-delivery.workflow';
import { createTestDatabase, type TestDatabase } from '../../../support/database';
import { createTimeSkippingEnv } from '../../../support/time-skipping';
import { createTestWorker, type TestWorker } from '../../../support/worker';
import { startHttpReceiver, type HttpReceiver } from './http-receiver';
import { startSmtpSink, type SmtpSink } from './smtp-sink';

export interface NoticeHarness {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  smtp: SmtpSink;
  http: HttpReceiver;
  worker: TestWorker;
  taskQueue: string;
  endpoints: { wecom: string; dingtalk: string; webhook: string };
  /** Runs noticeDeliveryWorkflow for each delivery (as the admin retry does) and returns the results in order. */
  deliver(deliveries: PlannedDelivery[], tag?: string): Promise<DeliverNoticeResult[]>;
  close(): Promise<void>;
}

/**
 * Time-skipping Temporal + fresh database + a real SMTP server + a real HTTP receiver, the real worker (workflows
 * and activities via Nest DI) and the five per-channel notice workers, exactly as apps/worker hosts them.
 */
export async function startNoticeHarness(taskQueue: string, env: Record<string, string> = {}): Promise<NoticeHarness> {
  const [tenv, db, smtp, http] = await Promise.all([createTimeSkippingEnv(), createTestDatabase(), startSmtpSink(), startHttpReceiver()]);
  const worker = await createTestWorker({
    connection: tenv.nativeConnection,
    client: tenv.client,
    databaseUrl: db.url,
    taskQueue,
    env: {
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtp.port),
      MAIL_FROM: '教工委办公室 <office@campaigns.local>',
      PUBLIC_BASE_URL: 'https://campaigns.example.cn',
      NOTICE_OFFICE_EMAILS: 'leader@xh.example.cn',
      NOTICE_MAX_ATTEMPTS: '3',
      // the robots and webhooks of these tests are the local receiver: the outbound guard must let them through
      OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
      // Rates are the benchmark's subject (bench/notice-burst.ts); here they must not throttle the test.
      NOTICE_RATE_WECOM: '100',
      NOTICE_RATE_DINGTALK: '100',
      ...env,
    },
  });
  const noticeWorkers: Worker[] = await createNoticeWorkers({
    connection: tenv.nativeConnection,
    namespace: 'default',
    baseTaskQueue: taskQueue,
    config: worker.nest.get(ConfigService),
    activities: worker.nest.get(NoticeDeliveryActivities, { strict: false }),
  });
  const running = [worker.worker, ...noticeWorkers].map((w) => w.run());
  let n = 0;
  return {
    env: tenv,
    db,
    smtp,
    http,
    worker,
    taskQueue,
    endpoints: { wecom: `${http.base}/wecom?key=wecom-key-1`, dingtalk: `${http.base}/dingtalk?access_token=ding-token-1`, webhook: `${http.base}/hook` },
    deliver: async (deliveries, tag = 'run') => {
      const handles = await Promise.all(
        deliveries.map((d) =>
          tenv.client.workflow.start<typeof noticeDeliveryWorkflow>('noticeDeliveryWorkflow', {
            taskQueue,
            workflowId: `test-delivery/${d.deliveryId}/${tag}/${n++}`,
            args: [d],
          }),
        ),
      );
      // One result() at a time: each call unlocks time skipping for its duration, and concurrent unlocks would
      // let the server skip past running activities' timeouts.
      const results: DeliverNoticeResult[] = [];
      for (const handle of handles) results.push(await handle.result());
      return results;
    },
    close: async () => {
      for (const w of [worker.worker, ...noticeWorkers]) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.all(running.map((r) => r.catch(() => undefined)));
      await worker.close();
      await tenv.teardown();
      await Promise.all([smtp.close(), http.close()]);
      await db.drop();
    },
  };
}

import { ConfigService } from '@nestjs/config';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { NoticeDeliveryActivities } from '../../../../activities/notices/notice-delivery.activities';
import type {
  DeliverNoticeResult,
  NoticeChannel,
  PlannedDelivery,
} from '../../../../activities/notices/notice-delivery.contract';
import type { AttemptOutcome } from '../../../../activities/notices/notice-deliverer';
import { createNoticeWorkers, OutboxDispatchers, type NoticeRunner } from '../../../../apps/worker/src/notice-workers';
import type { noticeDeliveryWorkflow } from '../../../../workflows/notices/notice-delivery.workflow';
import { createTestDatabase, type TestDatabase } from '../../../support/database';
import { eventually } from '../../../support/eventually';
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
  /** Every attempt the outbox dispatchers made, in order, with the instant (dispatchers' clock) it was judged at. */
  outcomes: { channel: NoticeChannel; outcome: AttemptOutcome; atMs: number }[];
  /** The dispatchers' clock (ms); Date.now until set. */
  clock: { now(): number; set(ms: number): void };
  /**
   * Lets the outbox dispatchers send these deliveries to their end (sent, muted or dead) and returns the statuses in
   * order. A row waiting for its retry backoff moves the dispatchers' clock to its next_attempt_at, as the
   * time-skipping server skips to a timer; quiet hours are not skipped (`clock.set` is the test's to move).
   */
  deliver(deliveries: PlannedDelivery[]): Promise<DeliverNoticeResult[]>;
  /** Wakes every outbox dispatcher (as a NOTIFY or the poll would). */
  wake(): void;
  /** Runs noticeDeliveryWorkflow → deliverNotice for each delivery (the road of runs recorded before the dispatcher). */
  deliverByWorkflow(deliveries: PlannedDelivery[], tag?: string): Promise<DeliverNoticeResult[]>;
  close(): Promise<void>;
}

/**
 * Time-skipping Temporal + fresh database + a real SMTP server + a real HTTP receiver, the real worker (workflows
 * and activities via Nest DI) and notice delivery exactly as apps/worker hosts it: the five outbox dispatchers
 * (on a clock the test controls) and the five channel task-queue workers.
 */
export async function startNoticeHarness(taskQueue: string, env: Record<string, string> = {}): Promise<NoticeHarness> {
  const [tenv, db, smtp, http] = await Promise.all([
    createTimeSkippingEnv(),
    createTestDatabase(),
    startSmtpSink(),
    startHttpReceiver(),
  ]);
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
      // Rates are the benchmark's subject (npm run bench); here they must not throttle the test.
      NOTICE_RATE_WECOM: '100',
      NOTICE_RATE_DINGTALK: '100',
      // Wake-ups come from LISTEN/NOTIFY and from deliver(); a slow poll would hide a lost notification.
      NOTICE_POLL_INTERVAL: '1h',
      ...env,
    },
  });
  let clockMs: number | undefined;
  const clock = { now: () => clockMs ?? Date.now(), set: (ms: number) => void (clockMs = ms) };
  const outcomes: NoticeHarness['outcomes'] = [];
  const runners: NoticeRunner[] = await createNoticeWorkers({
    connection: tenv.nativeConnection,
    namespace: 'default',
    baseTaskQueue: taskQueue,
    config: worker.nest.get(ConfigService),
    activities: worker.nest.get(NoticeDeliveryActivities, { strict: false }),
    now: clock.now,
    onOutcome: (channel, outcome, atMs) => outcomes.push({ channel, outcome, atMs }),
  });
  const dispatchers = runners.find((r): r is OutboxDispatchers => r instanceof OutboxDispatchers)!;
  const running = [worker.worker, ...runners].map((w) => w.run());
  let n = 0;
  return {
    env: tenv,
    db,
    smtp,
    http,
    worker,
    taskQueue,
    outcomes,
    clock,
    endpoints: {
      wecom: `${http.base}/wecom?key=wecom-key-1`,
      dingtalk: `${http.base}/dingtalk?access_token=ding-token-1`,
      webhook: `${http.base}/hook`,
    },
    deliver: async (deliveries) => {
      const ids = deliveries.map((d) => d.deliveryId);
      type Row = { id: string; status: string; attempts: number; next_attempt_at: Date };
      /** One look at the rows; while some are pending, moves the clock past their backoff and wakes the dispatchers. */
      const look = async () => {
        const rows: Row[] = await db.query(
          `SELECT id, status, attempts, next_attempt_at FROM notice_delivery WHERE id = ANY($1)`,
          [ids],
        );
        const pending = rows.filter((r) => r.status === 'pending');
        // every pending row waits for its retry backoff (attempts > 0; quiet hours are the test's to move): skip ahead
        const waiting = pending.filter((r) => r.attempts > 0 && r.next_attempt_at.getTime() > clock.now());
        if (pending.length && waiting.length === pending.length)
          clock.set(Math.min(...waiting.map((r) => r.next_attempt_at.getTime())));
        if (pending.length) dispatchers.wake(null);
        return rows;
      };
      const rows = await eventually(look, (all) => all.every((r) => r.status !== 'pending'), {
        timeoutMs: 30_000,
        intervalMs: 50,
      });
      const status = new Map(rows.map((r) => [r.id, r.status as DeliverNoticeResult['status']]));
      return ids.map((id) => ({ status: status.get(id)! }));
    },
    wake: () => dispatchers.wake(null),
    deliverByWorkflow: async (deliveries, tag = 'run') => {
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
      for (const w of [worker.worker, ...runners]) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.all(running.map((r) => r.catch(() => undefined)));
      await worker.close();
      await tenv.teardown();
      await Promise.all([smtp.close(), http.close()]);
      await db.drop();
    },
  };
}

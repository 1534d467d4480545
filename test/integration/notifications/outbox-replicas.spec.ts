import { NoticeDeliveryActivities } from '../../../activities/notices/notice-delivery.activities';
import { createNoticeWorkers, type NoticeRunner } from '../../../apps/worker/src/notice-workers';
import { Db } from '../../../libs/persistence/src/db';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { testConfig } from '../../support/env';
import { startHttpReceiver, type HttpReceiver } from './support/http-receiver';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { DUE_AT, recordTestNotice, seedCampaign, type Seeded } from './support/seed';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually } from '../../support/eventually';

const RATE = 10;
const NOTICES = 10; // × 3 e-mail contacts = 30 e-mails

/**
 * Two worker replicas' outbox dispatchers (two instances, each with its own SMTP pool, lanes and listener, as two
 * processes have) on one database: every row is sent by exactly one of them, and together they keep the one
 * configured rate, because the token bucket lives in PostgreSQL. Real PostgreSQL, real SMTP server, real time.
 */
describe('outbox dispatchers on two worker replicas', () => {
  let db: TestDatabase;
  let smtp: SmtpSink;
  let http: HttpReceiver;
  let s: Seeded;
  const runners: NoticeRunner[] = [];
  let running: Promise<void>[] = [];

  beforeAll(async () => {
    [db, smtp, http] = await Promise.all([createTestDatabase(), startSmtpSink(), startHttpReceiver()]);
    s = await seedCampaign(db.dataSource, {
      wecom: `${http.base}/w`,
      dingtalk: `${http.base}/d`,
      webhook: `${http.base}/h`,
    });
  });
  afterAll(async () => {
    for (const r of runners) r.shutdown();
    await Promise.all(running);
    await Promise.all([smtp?.close(), http?.close()]);
    await db?.drop();
  });

  it(`sends each e-mail once, and both replicas together no faster than NOTICE_RATE_EMAIL=${RATE}/s`, async () => {
    const noticeIds: string[] = [];
    for (let i = 0; i < NOTICES; i++)
      noticeIds.push(
        (
          await recordTestNotice(db.dataSource, s, {
            kind: 'due',
            audience: 'unit',
            occurrence: 20 + i,
            scheduledFor: DUE_AT,
          })
        ).noticeId,
      );
    const expected: string[] = (
      await db.query(
        `SELECT message_id FROM notice_delivery WHERE notice_id = ANY($1) AND channel = 'email' ORDER BY 1`,
        [noticeIds],
      )
    ).map((r) => r.message_id);
    expect(expected).toHaveLength(3 * NOTICES);

    const sentBy = new Map<string, number>();
    for (const replica of [1, 2]) {
      const config = testConfig({
        DATABASE_URL: db.url,
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
        NOTICE_WORKERS: 'false',
        NOTICE_RATE_EMAIL: String(RATE),
        NOTICE_WORKER_CONCURRENCY: '4',
      });
      const activities = new NoticeDeliveryActivities(new Db(db.dataSource), config);
      const own = await createNoticeWorkers({
        connection: undefined as never, // no channel task queues (NOTICE_WORKERS=false): no Temporal here
        namespace: 'default',
        baseTaskQueue: 'replicas',
        config,
        activities,
        channels: ['email'],
        onOutcome: (_channel, outcome) =>
          outcome.kind === 'sent' && sentBy.set(String(replica), (sentBy.get(String(replica)) ?? 0) + 1),
      });
      runners.push(...own);
    }
    const started = Date.now();
    running = runners.map((r) => r.run());

    await eventually(
      async () => smtp.messages.length,
      (n) => n >= expected.length,
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    await sleep(500); // a duplicate would arrive now
    expect(smtp.messages.map((m) => m.messageId).sort()).toEqual(expected);
    expect(
      await db.query(
        `SELECT status, count(*)::int AS n FROM notice_delivery WHERE notice_id = ANY($1) AND channel = 'email' GROUP BY 1`,
        [noticeIds],
      ),
    ).toEqual([{ status: 'sent', n: 3 * NOTICES }]);
    expect([...sentBy.values()].reduce((a, b) => a + b, 0)).toBe(3 * NOTICES);
    // One bucket of 10 per second for both: 30 e-mails need three windows, so the last leaves ≈ 2 s after the first (≥ 1.5 s asserted)
    // (two buckets, one per replica, would have sent them within two windows, ≈ 1 s).
    const received = smtp.messages.map((m) => m.receivedAt);
    expect(Math.max(...received) - Math.min(...received)).toBeGreaterThanOrEqual(1500);
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

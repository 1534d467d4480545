import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApi } from '../../support/api';
import { loginAs, type LoggedIn } from '../../support/auth';
import { startNoticeHarness, type NoticeHarness } from './support/notice-harness';
import { DUE_AT, recordTestNotice, seedCampaign, type Seeded } from './support/seed';

/**
 * Failing deliveries end in the dead-letter list with their error; an admin sees them and sends them again. Sent by
 * the outbox dispatchers (the harness moves their clock through the retry backoff), and by deliverNotice on the
 * time-skipping server for runs recorded before the dispatcher.
 */
describe('dead letters (outbox dispatchers, time-skipping server, real SMTP server and HTTP receiver, real api)', () => {
  let h: NoticeHarness;
  let s: Seeded;
  let api: INestApplication;
  let admin: LoggedIn;

  beforeAll(async () => {
    h = await startNoticeHarness('notices-dead');
    s = await seedCampaign(h.db.dataSource, h.endpoints);
    api = await createTestApi({
      databaseUrl: h.db.url,
      temporal: h.env.client,
      env: { TEMPORAL_TASK_QUEUE: h.taskQueue },
    });
    admin = await loginAs(api, 'office_admin');
  });
  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  it('SMTP 550 makes the delivery dead at once (no retries); the other recipients still get the due notice', async () => {
    h.smtp.rejected.add('wang@xh.example.cn');
    const { noticeId, deliveries } = await recordTestNotice(h.db.dataSource, s, {
      kind: 'due',
      audience: 'unit',
      scheduledFor: DUE_AT,
    });
    const emails = deliveries.filter((d) => d.channel === 'email');
    expect((await h.deliver(emails)).map((r) => r.status).sort()).toEqual(['dead', 'sent', 'sent']);
    expect(h.smtp.messages.map((m) => m.to[0]).sort()).toEqual(['anna@xh.example.cn', 's01@xh.example.cn']);
    const [dead] = await h.db.query(
      `SELECT id, status, attempts, last_error FROM notice_delivery WHERE notice_id = $1 AND address = 'wang@xh.example.cn'`,
      [noticeId],
    );
    expect(dead).toMatchObject({ status: 'dead', attempts: 1 });
    expect(dead.last_error).toMatch(/^SMTP 550: 550 5\.1\.1 mailbox unavailable/);

    const list = await request(api.getHttpServer()).get('/api/admin/dead-letters').set(admin.headers).expect(200);
    expect(list.body).toEqual([
      {
        id: dead.id,
        channel: 'email',
        recipientName: '王芳',
        address: 'wang@xh.example.cn',
        attempts: 1,
        lastError: dead.last_error,
        deadAt: expect.any(String),
        notice: {
          kind: 'due',
          audience: 'unit',
          cycleId: s.cycleId,
          unitCode: 'xh-s01',
          stepKey: 'study-research',
          occurrence: 0,
          rung: 0,
        },
      },
    ]);

    // The mailbox is fixed; the admin retries: the same delivery (same Message-ID) is sent once.
    h.smtp.rejected.delete('wang@xh.example.cn');
    const retry = await request(api.getHttpServer())
      .post(`/api/admin/dead-letters/${dead.id}/retry`)
      .set(admin.headers)
      .expect(202);
    expect(retry.body).toEqual({ id: dead.id, channel: 'email', status: 'pending' });
    expect(await h.deliver([{ deliveryId: dead.id, channel: 'email' }])).toEqual([{ status: 'sent' }]);
    const wang = h.smtp.messages.filter((m) => m.to[0] === 'wang@xh.example.cn');
    expect(wang).toHaveLength(1);
    const [row] = await h.db.query(`SELECT status, message_id, last_error FROM notice_delivery WHERE id = $1`, [
      dead.id,
    ]);
    expect(row).toEqual({ status: 'sent', message_id: wang[0].messageId, last_error: null });
    expect(
      (await request(api.getHttpServer()).get('/api/admin/dead-letters').set(admin.headers).expect(200)).body,
    ).toEqual([]);
    // A sent delivery is not a dead letter: retrying it is refused and sends nothing.
    const conflict = await request(api.getHttpServer())
      .post(`/api/admin/dead-letters/${dead.id}/retry`)
      .set(admin.headers)
      .expect(409);
    expect(conflict.body.message).toContain('is sent, not dead');
    expect(h.smtp.messages.filter((m) => m.to[0] === 'wang@xh.example.cn')).toHaveLength(1);
  });

  it('the road of runs recorded before the dispatcher: deliverNotice retries a 503 and ends with NoticeDeliveryDead', async () => {
    h.http.replies.set('/hook', { status: 503, body: { error: 'maintenance' } });
    const { noticeId, deliveries } = await recordTestNotice(h.db.dataSource, s, {
      kind: 'escalation',
      audience: 'unit',
      rung: 2,
      scheduledFor: DUE_AT,
    });
    const hook = deliveries.find((d) => d.channel === 'webhook')!;
    const before = h.http.requests.filter((r) => r.path === '/hook').length;
    const handle = await h.env.client.workflow.start('noticeDeliveryWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: `dead-hook-${hook.deliveryId}`,
      args: [hook],
    });
    expect(await handle.result()).toEqual({ status: 'dead' });
    expect(h.http.requests.filter((r) => r.path === '/hook').length - before).toBe(3);
    const [row] = await h.db.query(
      `SELECT status, attempts, last_error FROM notice_delivery WHERE notice_id = $1 AND channel = 'webhook'`,
      [noticeId],
    );
    expect(row).toEqual({ status: 'dead', attempts: 3, last_error: `POST ${h.http.base}/hook answered HTTP 503` });
    // The last attempt gave up with the non-retryable type the retry policy stops on.
    const failed = (await handle.fetchHistory()).events!.filter((e) => e.activityTaskFailedEventAttributes).pop()!;
    expect(failed.activityTaskFailedEventAttributes!.failure!.applicationFailureInfo!.type).toBe('NoticeDeliveryDead');
    h.http.replies.delete('/hook');
  });

  it('a webhook answering 503 is retried with backoff (30 s, then 60 s), and after NOTICE_MAX_ATTEMPTS (3) goes to the dead-letter list', async () => {
    h.http.replies.set('/hook', { status: 503, body: { error: 'maintenance' } });
    const { noticeId, deliveries } = await recordTestNotice(h.db.dataSource, s, {
      kind: 'escalation',
      audience: 'unit',
      rung: 1,
      scheduledFor: DUE_AT,
    });
    const hook = deliveries.find((d) => d.channel === 'webhook')!;
    const before = h.http.requests.filter((r) => r.path === '/hook').length;
    const outcomesBefore = h.outcomes.length;
    const t0 = Date.now() + 1000; // the dispatchers' clock stands still from here, and moves only to due retries
    h.clock.set(t0);
    expect(await h.deliver([hook])).toEqual([{ status: 'dead' }]);
    expect(h.http.requests.filter((r) => r.path === '/hook').length - before).toBe(3);
    const [row] = await h.db.query(
      `SELECT status, attempts, last_error FROM notice_delivery WHERE notice_id = $1 AND channel = 'webhook'`,
      [noticeId],
    );
    expect(row).toEqual({ status: 'dead', attempts: 3, last_error: `POST ${h.http.base}/hook answered HTTP 503` }); // never the receiver's body
    // Each retry came when its backoff ended, not before: +30 s after the first failure, +60 s after the second.
    const tries = h.outcomes.slice(outcomesBefore).filter((o) => o.channel === 'webhook');
    expect(tries.map((o) => o.outcome.kind)).toEqual(['retry', 'retry', 'dead']);
    expect(tries.map((o) => o.atMs)).toEqual([t0, t0 + 30_000, t0 + 90_000]);
    expect(tries.slice(0, 2).map((o) => (o.outcome.kind === 'retry' ? o.outcome.nextAttemptAt.getTime() : 0))).toEqual([
      t0 + 30_000,
      t0 + 90_000,
    ]);
    const list = await request(api.getHttpServer())
      .get('/api/admin/dead-letters?channel=webhook')
      .set(admin.headers)
      .expect(200);
    expect(list.body.map((d: { id: string; attempts: number }) => [d.id, d.attempts]).sort()).toEqual(
      [
        ...(
          await h.db.query(`SELECT id, attempts FROM notice_delivery WHERE channel = 'webhook' AND status = 'dead'`)
        ).map((r) => [r.id, r.attempts]),
      ].sort(),
    );
    expect(list.body.map((d: { id: string }) => d.id)).toContain(hook.deliveryId);
    h.http.replies.delete('/hook');
  });

  it('rejects bad requests with the field named, unknown ids with 404, and non-admins with 401/403', async () => {
    const bad = await request(api.getHttpServer())
      .post('/api/admin/dead-letters/not-a-uuid/retry')
      .set(admin.headers)
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'id', problem: 'must be a UUID' }]);
    await request(api.getHttpServer())
      .post('/api/admin/dead-letters/00000000-0000-4000-8000-000000000000/retry')
      .set(admin.headers)
      .expect(404);
    const badQuery = await request(api.getHttpServer())
      .get('/api/admin/dead-letters?channel=fax')
      .set(admin.headers)
      .expect(400);
    expect(badQuery.body.details.map((d: { field: string }) => d.field)).toEqual(['channel']);
    await request(api.getHttpServer()).get('/api/admin/dead-letters').expect(401);
    const secretary = await loginAs(api, 'unit_secretary', s.unitId);
    await request(api.getHttpServer()).get('/api/admin/dead-letters').set(secretary.headers).expect(403);
  });
});

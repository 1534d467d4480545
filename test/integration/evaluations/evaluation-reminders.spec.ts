import type { INestApplication } from '@nestjs/common';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTestApi } from '../../support/api';
import { insertUnit, loginAs, type LoggedIn } from '../../support/auth';
import { startNoticeHarness, type NoticeHarness } from '../notifications/support/notice-harness';
import { HOUR } from '../../support/time';

/**
 * "Send reminders" to those who have not answered an evaluation, through the notice machinery (notice + outbox rows,
 * noticeDeliveryWorkflow on the channel queues): a real SMTP server receives the e-mails, the unit's inbox the
 * message; time-skipping Temporal, real worker and notice workers, real api.
 */
describe('evaluation reminders through the notice channels', () => {
  let h: NoticeHarness;
  let api: INestApplication;
  let admin: LoggedIn;
  let evaluationId: string;
  let unitC: string;
  let unitD: string;
  const closesAt = new Date(Math.ceil(Date.now() / HOUR) * HOUR + 7 * 24 * HOUR);
  const closesLocal = DateTime.fromJSDate(closesAt, { zone: 'Asia/Shanghai' }).toFormat('yyyy年M月d日 HH:mm');
  const http = () => request(api.getHttpServer());
  const remind = (body: object, key = randomUUID()) =>
    http().post(`/api/evaluations/${evaluationId}/reminders`).set(admin.headers).set('Idempotency-Key', key).send(body);
  /** Waits for every delivery workflow the api started (one result() at a time: time skipping). */
  const settle = async () => {
    const rows: { id: string }[] = await h.db.query(
      `SELECT d.id FROM notice_delivery d JOIN notice n ON n.id = d.notice_id WHERE n.kind = 'evaluation_reminder' ORDER BY d.id`,
    );
    for (const r of rows) await h.env.client.workflow.getHandle(`notice-delivery/${r.id}`).result();
  };

  beforeAll(async () => {
    h = await startNoticeHarness('evaluation-reminders');
    api = await createTestApi({
      databaseUrl: h.db.url,
      temporal: h.env.client,
      env: { TEMPORAL_TASK_QUEUE: h.taskQueue },
    });
    admin = await loginAs(api, 'office_admin');
    unitC = await insertUnit(api, 'EV-C');
    unitD = await insertUnit(api, 'EV-D');
    const created = await http()
      .post('/api/evaluations')
      .set(admin.headers)
      .set('Idempotency-Key', randomUUID())
      .send({
        title: '2026年度群众满意度测评',
        kind: 'satisfaction',
        opensAt: new Date(Date.now() - HOUR).toISOString(),
        closesAt: closesAt.toISOString(),
        questions: [{ key: 'overall', text: '总体评价', type: 'scale' }],
      })
      .expect(201);
    evaluationId = created.body.id;
    const batch = await http()
      .post(`/api/evaluations/${evaluationId}/tokens`)
      .set(admin.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ unitId: unitC, recipients: ['a@x.org', 'b@x.org', 'C@X.org', '张老师'] })
      .expect(201);
    const tokenOf = Object.fromEntries(
      batch.body.tokens.map((t: { token: string; recipient: string }) => [t.recipient, t.token]),
    );
    await http()
      .post('/api/evaluations/responses')
      .send({ token: tokenOf['b@x.org'], answers: { overall: 5 } })
      .expect(201);
    await http()
      .post(`/api/evaluations/${evaluationId}/tokens`)
      .set(admin.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ unitId: unitD, count: 2 })
      .expect(201);
  });
  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  it('e-mails the recipients who have not answered and messages the unit’s inbox, once per request', async () => {
    const key = randomUUID();
    const res = await remind({ unitId: unitC }, key).expect(201);
    expect(res.body).toEqual({
      evaluationId,
      reminded: 3,
      units: 1,
      deliveries: 3,
      recipients: [
        { unitId: unitC, recipient: 'a@x.org' },
        { unitId: unitC, recipient: 'C@X.org' },
        { unitId: unitC, recipient: '张老师' },
      ],
    });
    await settle();
    const subject = `【测评提醒】2026年度群众满意度测评将于${closesLocal}截止，请尽快作答`;
    expect(h.smtp.messages.map((m) => [m.to[0], m.subject]).sort()).toEqual([
      ['a@x.org', subject],
      ['c@x.org', subject],
    ]);
    expect(h.smtp.messages[0].text).toContain('Unit EV-C尚有 3 份未作答');
    const notices = await h.db.query(
      `SELECT kind, audience, unit_id, evaluation_id, cycle_id, due_at FROM notice WHERE evaluation_id = $1`,
      [evaluationId],
    );
    expect(notices).toEqual([
      {
        kind: 'evaluation_reminder',
        audience: 'unit',
        unit_id: unitC,
        evaluation_id: evaluationId,
        cycle_id: null,
        due_at: closesAt,
      },
    ]);
    const inbox = await http().get('/api/units/EV-C/inbox').set(admin.headers).expect(200);
    expect(inbox.body.items.map((m: { kind: string; subject: string }) => [m.kind, m.subject])).toEqual([
      ['evaluation_reminder', subject],
    ]);
    expect(await h.db.query(`SELECT status, count(*)::int AS n FROM notice_delivery GROUP BY status`)).toEqual([
      { status: 'sent', n: 3 },
    ]);

    // The same request again (a client retry): the stored answer, nothing sent twice.
    const again = await remind({ unitId: unitC }, key).expect(201);
    expect(again.body).toEqual(res.body);
    await settle();
    expect(h.smtp.messages).toHaveLength(2);
    expect(
      await h.db.query(
        `SELECT recipient, reminders FROM evaluation_token WHERE unit_id = $1 AND recipient IS NOT NULL ORDER BY recipient`,
        [unitC],
      ),
    ).toEqual([
      { recipient: 'C@X.org', reminders: 1 },
      { recipient: 'a@x.org', reminders: 1 },
      { recipient: 'b@x.org', reminders: 0 },
      { recipient: '张老师', reminders: 1 },
    ]);
    const audit = await h.db.query(`SELECT actor_email, after FROM audit_log WHERE action = 'evaluation.remind'`);
    expect(audit).toEqual([
      {
        actor_email: admin.user.email,
        after: expect.objectContaining({ unitId: unitC, reminded: 3, units: 1, deliveries: 3 }),
      },
    ]);
  });

  it('reminds every unit with unused tokens; anonymous tokens reach the unit through its inbox only', async () => {
    const before = h.smtp.messages.length;
    const res = await remind({}).expect(201);
    expect(res.body).toMatchObject({ reminded: 3, units: 2, deliveries: 4 });
    await settle();
    expect(h.smtp.messages.length - before).toBe(2);
    const d = await http().get('/api/units/EV-D/inbox').set(admin.headers).expect(200);
    expect(d.body.items).toHaveLength(1);
    expect(d.body.items[0].body).toContain('Unit EV-D尚有 2 份未作答');

    const pending = await http().get(`/api/evaluations/${evaluationId}/pending`).set(admin.headers).expect(200);
    expect(pending.body).toEqual({
      evaluationId,
      units: [
        {
          unitId: unitC,
          unitCode: 'EV-C',
          unitName: 'Unit EV-C',
          issued: 4,
          unused: 3,
          recipients: [
            { recipient: 'C@X.org', reminders: 2, lastRemindedAt: expect.any(String) },
            { recipient: 'a@x.org', reminders: 2, lastRemindedAt: expect.any(String) },
            { recipient: '张老师', reminders: 2, lastRemindedAt: expect.any(String) },
          ],
        },
        { unitId: unitD, unitCode: 'EV-D', unitName: 'Unit EV-D', issued: 2, unused: 2, recipients: [] },
      ],
    });
    const list = await http().get('/api/evaluations').set(admin.headers).expect(200);
    expect(list.body.find((e: { id: string }) => e.id === evaluationId)).toEqual({
      id: evaluationId,
      title: '2026年度群众满意度测评',
      kind: 'satisfaction',
      cycleId: null,
      opensAt: expect.any(String),
      closesAt: closesAt.toISOString(),
      issued: 6,
      responded: 1,
      units: 2,
    });
  });

  it('refuses a unit without tokens (400), a closed evaluation (409) and non-admins (403), sending nothing', async () => {
    const before = [h.smtp.messages.length, (await h.db.query(`SELECT count(*)::int AS n FROM notice`))[0].n];
    const other = await insertUnit(api, 'EV-X');
    const bad = await remind({ unitId: other }).expect(400);
    expect(bad.body.details).toEqual([{ field: 'unitId', problem: 'has no tokens in this evaluation' }]);
    const reviewer = await loginAs(api, 'office_reviewer');
    await http()
      .post(`/api/evaluations/${evaluationId}/reminders`)
      .set(reviewer.headers)
      .set('Idempotency-Key', randomUUID())
      .send({})
      .expect(403);
    await http().get(`/api/evaluations/${evaluationId}/pending`).set(reviewer.headers).expect(200);
    const secretary = await loginAs(api, 'unit_secretary', unitC);
    await http().get(`/api/evaluations/${evaluationId}/pending`).set(secretary.headers).expect(403);
    await h.db.query(
      `UPDATE evaluation SET closes_at = now() - interval '1 second', opens_at = now() - interval '2 hours' WHERE id = $1`,
      [evaluationId],
    );
    const closed = await remind({}).expect(409);
    expect(closed.body.details).toEqual([{ field: 'evaluationId', problem: 'the evaluation is closed' }]);
    expect([h.smtp.messages.length, (await h.db.query(`SELECT count(*)::int AS n FROM notice`))[0].n]).toEqual(before);
  });
});

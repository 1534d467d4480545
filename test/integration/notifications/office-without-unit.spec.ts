import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import type { unitCampaignWorkflow } from '../../../workflows/campaign/unit-campaign.workflow';
import { createTestApi } from '../../support/api';
import { loginAs } from '../../support/auth';
import {
  nextWholeMinute,
  seedCycle,
  threeStagePlan,
  unitInput,
  type SeededCycle,
} from '../../support/campaign-factory';
import { startNoticeHarness, type NoticeHarness } from './support/notice-harness';
import { DAY, isoOf } from '../../support/time';
import { eventually } from '../../support/eventually';

/**
 * Issue 13: a 党总支 with three branches and NO unit of kind office. The office escalation (due + 7 days) must reach
 * NOTICE_OFFICE_EMAILS (a real SMTP server counts them) and the office's own inbox; with no office e-mails either, it
 * must show as a dead letter with its reason — in the dead-letter list and the unit's timeline — never vanish.
 * Before the fix, both cases planned zero deliveries for the office escalation: no mail, no dead letter, nothing.
 */
async function runCycleToOfficeEscalation(h: NoticeHarness): Promise<{ cycle: SeededCycle; due: number }> {
  const t0 = await nextWholeMinute(() => h.env.currentTimeMs());
  const plan = threeStagePlan(t0);
  const cycle = await seedCycle(h.db, { plan, unitCount: 3 });
  for (const unit of cycle.units) {
    await h.env.client.workflow.start<typeof unitCampaignWorkflow>('unitCampaignWorkflow', {
      workflowId: unitWorkflowId(cycle.cycleId, unit.id),
      taskQueue: h.taskQueue,
      args: [unitInput(cycle, unit, plan)],
    });
  }
  const due = t0 + 20 * DAY;
  await h.env.sleep(due + 8 * DAY - (await h.env.currentTimeMs()));
  // Per unit: 2 reminders, the due notice, the parent and the office escalations are recorded.
  await eventually(
    () => h.db.query(`SELECT count(*)::int AS n FROM notice WHERE kind = 'escalation' AND audience = 'office'`),
    (r) => r[0].n === 3,
    30_000,
  );
  return { cycle, due };
}

/** A notice harness and the real api on its database and Temporal, for one describe block. */
function setUp(taskQueue: string, env: Record<string, string>, use: (h: NoticeHarness, api: INestApplication) => void) {
  let h: NoticeHarness | undefined;
  let api: INestApplication | undefined;
  beforeAll(async () => {
    h = await startNoticeHarness(taskQueue, env);
    api = await createTestApi({
      databaseUrl: h.db.url,
      temporal: h.env.client,
      env: { TEMPORAL_TASK_QUEUE: h.taskQueue },
    });
    use(h, api);
  });
  afterAll(async () => {
    await api?.close();
    await h?.close();
  });
}

const officeRows = (h: NoticeHarness) =>
  h.db.query(
    `SELECT u.code, d.channel, d.address, d.status, d.recipient_unit_id, d.last_error FROM notice_delivery d JOIN notice n ON n.id = d.notice_id
       JOIN unit u ON u.id = n.unit_id WHERE n.audience = 'office' ORDER BY u.code, d.channel, d.address`,
  );

describe('office notices of a tree without an office unit reach NOTICE_OFFICE_EMAILS (time-skipping, real SMTP server)', () => {
  let h: NoticeHarness;
  let api: INestApplication;
  setUp(
    'office-emails',
    { NOTICE_OFFICE_EMAILS: 'leader@xh.example.cn, Office@XH.example.cn' },
    (harness, app) => ([h, api] = [harness, app]),
  );

  it('delivers each unit’s office escalation to both office addresses, once, and to the office’s inbox', async () => {
    const { cycle, due } = await runCycleToOfficeEscalation(h);
    await eventually(
      () =>
        h.db.query(
          `SELECT count(*)::int AS n FROM notice_delivery d JOIN notice n ON n.id = d.notice_id WHERE n.audience = 'office' AND d.status = 'sent'`,
        ),
      (r) => r[0].n === 9,
      30_000,
    );
    const codes = cycle.units.map((u) => u.code).sort();
    expect(await officeRows(h)).toEqual(
      codes.flatMap((code) => [
        {
          code,
          channel: 'email',
          address: 'leader@xh.example.cn',
          status: 'sent',
          recipient_unit_id: null,
          last_error: null,
        },
        {
          code,
          channel: 'email',
          address: 'office@xh.example.cn',
          status: 'sent',
          recipient_unit_id: null,
          last_error: null,
        },
        { code, channel: 'inbox', address: 'office', status: 'sent', recipient_unit_id: null, last_error: null },
      ]),
    );
    // The SMTP server got exactly those six e-mails for the office (the units and the 党总支 have no e-mail).
    const mails = h.smtp.messages.map((m) => ({ to: m.to[0], subject: m.subject }));
    expect(mails).toHaveLength(6);
    expect(mails.filter((m) => m.to === 'leader@xh.example.cn')).toHaveLength(3);
    expect(mails.filter((m) => m.to === 'office@xh.example.cn')).toHaveLength(3);
    for (const m of mails)
      expect(m.subject).toMatch(/^【通报】学习实践活动（测试）：第[123]支部「开展学习调研」逾期7天$/);
    const [{ at }] = await h.db.query(`SELECT min(scheduled_for) AS at FROM notice WHERE audience = 'office'`);
    expect(at.toISOString()).toBe(isoOf(due + 7 * DAY));
    expect(await h.db.query(`SELECT count(*)::int AS n FROM notice_delivery WHERE status = 'dead'`)).toEqual([
      { n: 0 },
    ]);

    // The office reads its own inbox; a unit's secretary may not.
    const office = await loginAs(api, 'office_reviewer');
    const inbox = await request(api.getHttpServer()).get('/api/office/inbox').set(office.headers).expect(200);
    expect(inbox.body.unitCode).toBe('office');
    expect(inbox.body.unread).toBe(3);
    expect(inbox.body.items.map((i: { kind: string }) => i.kind)).toEqual(['escalation', 'escalation', 'escalation']);
    await request(api.getHttpServer())
      .post(`/api/office/inbox/${inbox.body.items[0].id}/read`)
      .set(office.headers)
      .expect(200);
    expect(
      (await request(api.getHttpServer()).get('/api/office/inbox/unread-count').set(office.headers).expect(200)).body,
    ).toEqual({ unitCode: 'office', unread: 2 });
    const secretary = await loginAs(api, 'unit_secretary', cycle.units[0].id);
    await request(api.getHttpServer()).get('/api/office/inbox').set(secretary.headers).expect(403);
  });
});

describe('with neither an office unit nor office e-mails, the office escalation is a dead letter with its reason', () => {
  let h: NoticeHarness;
  let api: INestApplication;
  setUp('office-nobody', { NOTICE_OFFICE_EMAILS: '' }, (harness, app) => ([h, api] = [harness, app]));

  it('records "no recipient for office of <unit>" as dead, lists it, shows it in the timeline, and refuses a pointless retry', async () => {
    const { cycle } = await runCycleToOfficeEscalation(h);
    const codes = cycle.units.map((u) => u.code).sort();
    const reason = (code: string) =>
      `no recipient for office of ${code}: the unit tree has no unit of kind office and NOTICE_OFFICE_EMAILS is empty`;
    await eventually(
      () => officeRows(h),
      (rows) => rows.filter((r) => r.status !== 'pending').length === 6,
      30_000,
    );
    expect(await officeRows(h)).toEqual(
      codes.flatMap((code) => [
        { code, channel: 'inbox', address: 'office', status: 'sent', recipient_unit_id: null, last_error: null },
        { code, channel: 'none', address: 'office', status: 'dead', recipient_unit_id: null, last_error: reason(code) },
      ]),
    );
    expect(h.smtp.messages).toHaveLength(0);

    const admin = await loginAs(api, 'office_admin');
    const list = await request(api.getHttpServer())
      .get('/api/admin/dead-letters')
      .query({ channel: 'none' })
      .set(admin.headers)
      .expect(200);
    expect(
      list.body
        .map((d: { notice: { unitCode: string; kind: string; audience: string }; lastError: string }) => [
          d.notice.unitCode,
          d.notice.kind,
          d.notice.audience,
          d.lastError,
        ])
        .sort(),
    ).toEqual(codes.map((code) => [code, 'escalation', 'office', reason(code)]));
    const retry = await request(api.getHttpServer())
      .post(`/api/admin/dead-letters/${list.body[0].id}/retry`)
      .set(admin.headers)
      .expect(409);
    expect(retry.body.message).toMatch(/had no recipient: add a unit of kind office or NOTICE_OFFICE_EMAILS/);

    const unit = cycle.units[0];
    const timeline = await request(api.getHttpServer())
      .get(`/api/cycles/${cycle.cycleId}/units/${unit.code}/timeline`)
      .set(admin.headers)
      .expect(200);
    const dead = timeline.body.entries.filter((e: { source: string }) => e.source === 'delivery');
    expect(dead.map((e: { kind: string; en: string }) => [e.kind, e.en])).toEqual([
      ['NoticeDeliveryDead', `Notice reached no one: escalation to office (step s1-study): ${reason(unit.code)}`],
    ]);
  });
});

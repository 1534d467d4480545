import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { CyclePlan } from '../../../libs/domain/src/plan/unit-plan';
import { unitStatusQuery, type UnitWorkflowStatus } from '../../../workflows/campaign/messages';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import { createTestApi } from '../../support/api';
import { insertUnit, LoggedIn, loginAs, twoBranchesWithAccounts } from '../../support/auth';
import { nextWholeMinute } from '../../support/campaign-factory';
import { insertCycle, schoolUnitInput, startUnitWorkflow } from '../../support/cycle-fixtures';
import {
  eventsOf,
  maybeRecordHistory,
  noticesOf,
  startHarness,
  type CampaignHarness,
} from '../../workflows/campaign/harness';
import { DAY, isoOf, shanghaiIso } from '../../support/time';
import { eventually } from '../../support/eventually';

const TASK_QUEUE = 'rectification-e2e';
const ladder = [
  { afterMs: 0, to: 'unit' as const, bulletin: false },
  { afterMs: 2 * DAY, to: 'parent' as const, bulletin: false },
  { afterMs: 5 * DAY, to: 'office' as const, bulletin: true },
];

/** One stage 整改落实: the plan step (items, published or not) with the attendance minimum of 48 hours. */
function rectificationPlan(t0: number, publish: boolean): CyclePlan {
  return {
    templateKey: `rect-test-${publish ? 'published' : 'private'}`,
    templateVersion: 1,
    campaignName: '学习实践活动（整改测试）',
    timeZone: 'Asia/Shanghai',
    cycleStartsAt: isoOf(t0),
    stages: [
      {
        key: 'rectification',
        title: '整改落实',
        opensAt: isoOf(t0),
        closesAt: isoOf(t0 + 40 * DAY),
        steps: [
          {
            key: 'rectification-plan',
            stageKey: 'rectification',
            title: '制定整改落实方案',
            opensAt: isoOf(t0),
            dueAt: isoOf(t0 + 10 * DAY),
            required: true,
            reviewRequired: true,
            deliverables: [
              {
                key: 'plan',
                kind: 'plan_with_items',
                title: '整改落实方案',
                required: true,
                ...(publish ? { publish: true } : {}),
              },
              { key: 'hours', kind: 'attendance_hours', title: '党员集中活动时间', required: false, minHours: 48 },
            ],
            reminderOffsetsMs: [3 * DAY],
            escalation: ladder,
          },
        ],
      },
    ],
  };
}

/** Local (Asia/Shanghai) calendar date of an instant, and the end of that day as the item's due instant. */
const localDateOf = (ms: number) => shanghaiIso(ms).slice(0, 10);
const endOfLocalDay = (date: string) => Date.parse(`${date}T23:59:59+08:00`);

describe('rectification items and attendance hours (time-skipping server, real worker, PostgreSQL)', () => {
  let h: CampaignHarness;
  let api: INestApplication;
  let t0: number;
  let cycle1: string, cycle2: string;
  let unitA: string, unitB: string, unitC: string, unitD: string;
  let secA: LoggedIn,
    secB: LoggedIn,
    secC: LoggedIn,
    secD: LoggedIn,
    secParent: LoggedIn,
    reviewer: LoggedIn,
    admin: LoggedIn,
    auditor: LoggedIn;
  const http = () => request(api.getHttpServer());
  const key = () => ({ 'Idempotency-Key': randomUUID() });
  const statusOf = (cycleId: string, unitId: string) =>
    h.env.client.workflow
      .getHandle(unitWorkflowId(cycleId, unitId))
      .query(unitStatusQuery) as Promise<UnitWorkflowStatus>;
  const count = async (sql: string) => (await h.db.query(`SELECT count(*)::int AS n FROM ${sql}`))[0].n as number;
  let d1: string, d2: string;

  const start = (cycleId: string, unitId: string, code: string, plan: CyclePlan) =>
    startUnitWorkflow(h.env.client, TASK_QUEUE, schoolUnitInput(cycleId, { id: unitId, code }, plan));

  /** Draft → submit → accept, through the api; returns the accepted submission. */
  const submitAndAccept = async (
    who: LoggedIn,
    cycleId: string,
    unitId: string,
    stepKey: string,
    deliverables: unknown[],
    attach?: { deliverableKey: string },
  ) => {
    const created = await http()
      .post('/api/submissions')
      .set(who.headers)
      .set(key())
      .send({ cycleId, unitId, stepKey, deliverables: [] })
      .expect(201);
    const id = created.body.id as string;
    const entries = deliverables as { key: string; attachmentIds?: string[] }[];
    if (attach) {
      const file = await http()
        .post(`/api/submissions/${id}/attachments`)
        .set(who.headers)
        .set(key())
        .field('deliverableKey', attach.deliverableKey)
        .attach('file', Buffer.from('# 整改完成\n'), { filename: 'evidence.md', contentType: 'text/markdown' })
        .expect(201);
      entries.find((e) => e.key === attach.deliverableKey)!.attachmentIds = [file.body.id];
    }
    await http().put(`/api/submissions/${id}/draft`).set(who.headers).send({ deliverables: entries }).expect(200);
    await http().post(`/api/submissions/${id}/submit`).set(who.headers).set(key()).expect(200);
    const accepted = await http()
      .post(`/api/submissions/${id}/versions/1/review`)
      .set(reviewer.headers)
      .set(key())
      .send({ decision: 'accept' })
      .expect(200);
    return accepted.body;
  };

  const planDeliverables = () => [
    {
      key: 'plan',
      kind: 'plan_with_items',
      fields: {
        items: [
          {
            goal: '减轻学生课业负担',
            project: '作业总量公示',
            deadline: d1,
            measures: '每月抽查两次并公示',
            responsible: '校长室、教导处',
          },
          {
            goal: '改进干部作风',
            project: '领导接待日制度',
            deadline: d2,
            measures: '每周三下午书记、校长轮流接待',
            responsible: '党支部书记',
          },
        ],
      },
    },
  ];

  beforeAll(async () => {
    h = await startHarness(TASK_QUEUE);
    api = await createTestApi({
      databaseUrl: h.db.url,
      temporal: h.env.client,
      env: { TEMPORAL_TASK_QUEUE: TASK_QUEUE, ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'rect-att-')) },
    });
    t0 = await nextWholeMinute(() => h.env.currentTimeMs());
    d1 = localDateOf(t0 + 15 * DAY);
    d2 = localDateOf(t0 + 25 * DAY);
    ({ unitA, unitB, secA, secB, secParent, reviewer, admin, auditor } = await twoBranchesWithAccounts(api, {
      parent: 'ZZ-100',
      a: 'ZZ-101',
      b: 'ZZ-102',
    }));
    unitC = await insertUnit(api, 'ZZ-201');
    unitD = await insertUnit(api, 'ZZ-202');
    const published = rectificationPlan(t0, true);
    const privatePlan = rectificationPlan(t0, false);
    cycle1 = await insertCycle(h.db.dataSource, [unitA, unitB], published);
    cycle2 = await insertCycle(h.db.dataSource, [unitC, unitD], privatePlan);
    await start(cycle1, unitA, 'ZZ-101', published);
    await start(cycle1, unitB, 'ZZ-102', published);
    await start(cycle2, unitC, 'ZZ-201', privatePlan);
    [secC, secD] = await Promise.all([loginAs(api, 'unit_secretary', unitC), loginAs(api, 'unit_secretary', unitD)]);
    await h.advanceTo(t0);
    await eventually(
      () => statusOf(cycle1, unitA),
      (s) => s.steps[0]?.status === 'open',
    );
    await eventually(
      () => statusOf(cycle2, unitC),
      (s) => s.steps[0]?.status === 'open',
    );
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  it('registers the items of an accepted plan as required steps of its stage, due at the end of their deadline day', async () => {
    await submitAndAccept(secA, cycle1, unitA, 'rectification-plan', planDeliverables());
    const s = await statusOf(cycle1, unitA);
    expect(s.currentStage).toBe('rectification'); // the plan is accepted, but its items hold the unit in the stage
    expect(s.steps.map((st) => [st.key, st.status, st.required, st.dueAt])).toEqual([
      ['rectification-plan', 'accepted', true, isoOf(t0 + 10 * DAY)],
      ['rectification-plan#item-1', 'open', true, isoOf(endOfLocalDay(d1))],
      ['rectification-plan#item-2', 'open', true, isoOf(endOfLocalDay(d2))],
    ]);
    expect(s.steps[1].title).toBe('整改项目 1: 作业总量公示');
    // items open at the acceptance instant (workflow time)
    expect([s.steps[1].openedAt, s.steps[2].openedAt]).toEqual([s.steps[0].acceptedAt, s.steps[0].acceptedAt]);
    expect(s.items).toEqual({ total: 2, open: 2, overdue: 0, completed: 0, waived: 0 });
    const registered = await eventually(
      () => eventsOf(h.db, unitA),
      (e) => e.some((x) => x.kind === 'items_registered'),
    );
    expect(registered.find((x) => x.kind === 'items_registered')!.summary).toBe(
      `2 rectification items of 制定整改落实方案 tracked until completed: 1. due ${d1} 23:59 (Asia/Shanghai) (校长室、教导处); 2. due ${d2} 23:59 (Asia/Shanghai) (党支部书记)`,
    );
    const rows = await eventually(
      () =>
        http()
          .get(`/api/cycles/${cycle1}/units/${unitA}/rectification-items`)
          .set(secA.headers)
          .expect(200)
          .then((r) => r.body),
      (b) => b.items.every((i: any) => i.status === 'open'),
    );
    expect(rows.items.map((i: any) => [i.no, i.stepKey, i.project, i.deadline, i.status, i.dueAt])).toEqual([
      [1, 'rectification-plan#item-1', '作业总量公示', d1, 'open', isoOf(endOfLocalDay(d1))],
      [2, 'rectification-plan#item-2', '领导接待日制度', d2, 'open', isoOf(endOfLocalDay(d2))],
    ]);
    expect(rows.counts).toEqual({ total: 2, open: 2, overdue: 0, completed: 0, waived: 0 });
  });

  it('publishes the accepted plan to the other units of the cycle only when the template says so', async () => {
    const seen = await http().get(`/api/cycles/${cycle1}/published-plans`).set(secB.headers).expect(200);
    expect(seen.body).toHaveLength(1);
    expect(seen.body[0]).toMatchObject({
      unitId: unitA,
      unitCode: 'ZZ-101',
      stepKey: 'rectification-plan',
      deliverableKey: 'plan',
      version: 1,
    });
    expect(seen.body[0].items.map((i: any) => [i.no, i.project, i.deadline, i.responsible])).toEqual([
      [1, '作业总量公示', d1, '校长室、教导处'],
      [2, '领导接待日制度', d2, '党支部书记'],
    ]);
    await http().get(`/api/cycles/${cycle1}/published-plans/${unitA}`).set(secB.headers).expect(200);
    await http().get(`/api/cycles/${cycle1}/published-plans/${unitB}`).set(secA.headers).expect(404); // B's plan not accepted
    await http().get(`/api/cycles/${cycle1}/published-plans`).set(auditor.headers).expect(200);
    // a unit outside the cycle: 403
    await http().get(`/api/cycles/${cycle1}/published-plans`).set(secC.headers).expect(403);
    // cycle 2's template does not publish: C's accepted plan stays private to C, its parent and the office
    await submitAndAccept(secC, cycle2, unitC, 'rectification-plan', planDeliverables());
    expect((await http().get(`/api/cycles/${cycle2}/published-plans`).set(secD.headers).expect(200)).body).toEqual([]);
    await http().get(`/api/cycles/${cycle2}/published-plans/${unitC}`).set(secD.headers).expect(404);
    await http().get(`/api/cycles/${cycle2}/units/${unitC}/rectification-items`).set(secD.headers).expect(403);
    const mine = await http()
      .get(`/api/cycles/${cycle2}/units/${unitC}/rectification-items`)
      .set(secC.headers)
      .expect(200);
    expect(mine.body.items).toHaveLength(2);
  });

  it('completes an item with evidence (text + attachment) accepted by the office; an unknown item is a 400', async () => {
    await http()
      .post('/api/submissions')
      .set(secA.headers)
      .set(key())
      .send({ cycleId: cycle1, unitId: unitA, stepKey: 'rectification-plan#item-9', deliverables: [] })
      .expect(400);
    // evidence text is required on submit
    const empty = await http()
      .post('/api/submissions')
      .set(secA.headers)
      .set(key())
      .send({
        cycleId: cycle1,
        unitId: unitA,
        stepKey: 'rectification-plan#item-2',
        deliverables: [{ key: 'evidence', kind: 'free_form' }],
      })
      .expect(201);
    const refused = await http()
      .post(`/api/submissions/${empty.body.id}/submit`)
      .set(secA.headers)
      .set(key())
      .expect(400);
    expect(refused.body.details).toEqual([{ field: 'deliverables[0].text', problem: 'is required' }]);
    await http()
      .put(`/api/submissions/${empty.body.id}/draft`)
      .set(secA.headers)
      .send({
        deliverables: [
          { key: 'evidence', kind: 'free_form', text: '领导接待日已坚持 6 周，接待教师 23 人次，台账附后。' },
        ],
      })
      .expect(200);
    const file = await http()
      .post(`/api/submissions/${empty.body.id}/attachments`)
      .set(secA.headers)
      .set(key())
      .field('deliverableKey', 'evidence')
      .attach('file', Buffer.from('# 接待台账\n'), { filename: 'ledger.md', contentType: 'text/markdown' })
      .expect(201);
    await http()
      .put(`/api/submissions/${empty.body.id}/draft`)
      .set(secA.headers)
      .send({
        deliverables: [
          {
            key: 'evidence',
            kind: 'free_form',
            text: '领导接待日已坚持 6 周，接待教师 23 人次，台账附后。',
            attachmentIds: [file.body.id],
          },
        ],
      })
      .expect(200);
    await http().post(`/api/submissions/${empty.body.id}/submit`).set(secA.headers).set(key()).expect(200);
    const done = await http()
      .post(`/api/submissions/${empty.body.id}/versions/1/review`)
      .set(reviewer.headers)
      .set(key())
      .send({ decision: 'accept', comment: '已落实' })
      .expect(200);
    expect(done.body).toMatchObject({ status: 'accepted', stepKey: 'rectification-plan#item-2' });
    expect(done.body.versions[0]).toMatchObject({ decision: 'accepted' });
    const s = await statusOf(cycle1, unitA);
    expect(s.steps.find((st) => st.key === 'rectification-plan#item-2')!.status).toBe('accepted');
    expect(s.items).toEqual({ total: 2, open: 1, overdue: 0, completed: 1, waived: 0 });
    expect(s.currentStage).toBe('rectification'); // item 1 is still open: the gate holds
  });

  it('logs attendance (own unit only, idempotent, audited); bad input is a 400 naming each field with nothing written', async () => {
    const url = (unit: string) => `/api/cycles/${cycle1}/units/${unit}/attendance`;
    const idem = randomUUID();
    const first = await http()
      .post(url(unitA))
      .set(secA.headers)
      .set('Idempotency-Key', idem)
      .send({ date: '2027-06-18', hours: 20, members: 31, title: '专题党课', note: '书记主讲' })
      .expect(201);
    const again = await http()
      .post(url(unitA))
      .set(secA.headers)
      .set('Idempotency-Key', idem)
      .send({ date: '2027-06-18', hours: 20, members: 31, title: '专题党课', note: '书记主讲' })
      .expect(201);
    expect(again.body).toEqual(first.body);
    expect(first.body).toMatchObject({
      date: '2027-06-18',
      hours: 20,
      members: 31,
      title: '专题党课',
      note: '书记主讲',
      recordedBy: secA.user.id,
    });
    await http()
      .post(url(unitA))
      .set(secA.headers)
      .set(key())
      .send({ date: '2027-07-02', hours: 16, members: 29, title: '主题组织生活会' })
      .expect(201);
    await http()
      .post(url(unitB))
      .set(secB.headers)
      .set(key())
      .send({ date: '2027-06-20', hours: 24, members: 18, title: '集中学习（一）' })
      .expect(201);
    await http()
      .post(url(unitB))
      .set(secB.headers)
      .set(key())
      .send({ date: '2027-07-20', hours: 24, members: 18, title: '集中学习（二）' })
      .expect(201);
    expect(await count(`audit_log WHERE action = 'attendance.log'`)).toBe(4);

    const before = [await count('attendance_entry'), await count('audit_log'), await count('idempotency_key')];
    const bad = await http()
      .post(url(unitA))
      .set(secA.headers)
      .set(key())
      .send({ date: '2027-02-30', hours: 0, members: 0, title: '' })
      .expect(400);
    expect(bad.body.details.map((d: any) => d.field).sort()).toEqual(['date', 'hours', 'members', 'title']);
    expect(bad.body.details.find((d: any) => d.field === 'hours').problem).toBe('must be at least 0.25 hours');
    await http()
      .post(url(unitA))
      .set(secA.headers)
      .set(key())
      .send({ date: '2027-06-18', hours: 30, members: 3, title: 'x', extra: 1 })
      .expect(400);
    const early = await http()
      .post(url(unitA))
      .set(secA.headers)
      .set(key())
      .send({ date: '2020-01-01', hours: 2, members: 3, title: '学习' })
      .expect(400);
    expect(early.body.details).toEqual([{ field: 'date', problem: `is before the cycle starts (${localDateOf(t0)})` }]);
    await http()
      .post(`/api/cycles/${cycle2}/units/${unitA}/attendance`)
      .set(secA.headers)
      .set(key())
      .send({ date: '2027-06-18', hours: 2, members: 3, title: '学习' })
      .expect(404);
    // role boundaries: another unit, the parent secretary, the office and auditors cannot log for A
    for (const who of [secB, secParent, admin, auditor])
      await http()
        .post(url(unitA))
        .set(who.headers)
        .set(key())
        .send({ date: '2027-06-18', hours: 2, members: 3, title: '学习' })
        .expect(403);
    expect([await count('attendance_entry'), await count('audit_log'), await count('idempotency_key')]).toEqual(before);

    // reads: the unit, its parent secretary, the office, auditors; not another unit
    for (const who of [secA, secParent, reviewer, auditor]) {
      const r = await http().get(url(unitA)).set(who.headers).expect(200);
      expect(r.body).toMatchObject({ totalHours: 36, minHours: 48, metSoFar: false, checks: [] });
      expect(r.body.entries.map((e: any) => [e.date, e.hours])).toEqual([
        ['2027-06-18', 20],
        ['2027-07-02', 16],
      ]);
    }
    await http().get(url(unitA)).set(secB.headers).expect(403);
  });

  it('checks attendance when a unit leaves the stage before its window closes (one item completed, one waived by the office)', async () => {
    await submitAndAccept(secC, cycle2, unitC, 'rectification-plan#item-1', [
      { key: 'evidence', kind: 'free_form', text: '整改项目 1 已完成' },
    ]);
    expect((await statusOf(cycle2, unitC)).currentStage).toBe('rectification'); // item 2 still open
    const waived = await http()
      .post(`/api/cycles/${cycle2}/units/${unitC}/waive`)
      .set(reviewer.headers)
      .set(key())
      .send({ stepKey: 'rectification-plan#item-2', reason: '项目并入区级统一整改' })
      .expect(200);
    expect(waived.body).toMatchObject({ key: 'rectification-plan#item-2', status: 'waived' });
    const handle = h.env.client.workflow.getHandle(unitWorkflowId(cycle2, unitC));
    await handle.result();
    const s = await handle.query(unitStatusQuery);
    const left = (
      await eventually(
        () => eventsOf(h.db, unitC),
        (e) => e.some((x) => x.kind === 'completed'),
      )
    ).slice(-4);
    expect(left.map((e) => e.kind)).toEqual(['waived', 'stage_left', 'attendance_below_minimum', 'completed']);
    expect(s.items).toEqual({ total: 2, open: 0, overdue: 0, completed: 1, waived: 1 });
    expect(left[2]).toMatchObject({
      at: left[1].at,
      summary: 'Attendance 0 of 48 hours on leaving 整改落实: below the minimum',
    });
    expect(s.attendance).toEqual([
      { stageKey: 'rectification', hours: 0, minHours: 48, met: false, checkedAt: left[1].at },
    ]);
    expect(Date.parse(left[1].at)).toBeLessThan(t0 + 40 * DAY);
  });

  it('sends the open item its reminder, due notice and escalations at exact instants; the roll-up counts it overdue', async () => {
    const due1 = endOfLocalDay(d1);
    await h.advanceTo(due1 + 6 * DAY);
    const item = (n: { step: string }) => n.step === 'rectification-plan#item-1';
    const notices = (
      await eventually(
        () => noticesOf(h.db, unitA),
        (ns) => ns.filter(item).length === 4,
      )
    ).filter(item);
    const dk = (kind: string, rung: number) => `${cycle1}:${unitA}:rectification-plan#item-1:${kind}:g0:r${rung}`;
    expect(notices).toEqual([
      {
        step: 'rectification-plan#item-1',
        kind: 'reminder',
        rung: 0,
        audience: 'unit',
        occurrence: 0,
        scheduledFor: isoOf(due1 - 3 * DAY),
        dueAt: isoOf(due1),
        dedupeKey: dk('reminder', 0),
      },
      {
        step: 'rectification-plan#item-1',
        kind: 'due',
        rung: 0,
        audience: 'unit',
        occurrence: 0,
        scheduledFor: isoOf(due1),
        dueAt: isoOf(due1),
        dedupeKey: dk('due', 0),
      },
      {
        step: 'rectification-plan#item-1',
        kind: 'escalation',
        rung: 1,
        audience: 'parent',
        occurrence: 0,
        scheduledFor: isoOf(due1 + 2 * DAY),
        dueAt: isoOf(due1),
        dedupeKey: dk('escalation', 1),
      },
      {
        step: 'rectification-plan#item-1',
        kind: 'escalation',
        rung: 2,
        audience: 'office',
        occurrence: 0,
        scheduledFor: isoOf(due1 + 5 * DAY),
        dueAt: isoOf(due1),
        dedupeKey: dk('escalation', 2),
      },
    ]);
    // item 2 was completed before any of its notices: none
    expect((await noticesOf(h.db, unitA)).filter((n) => n.step === 'rectification-plan#item-2')).toEqual([]);
    const s = await statusOf(cycle1, unitA);
    expect(s.currentStage).toBe('rectification');
    expect(s.steps.find((st) => st.key === 'rectification-plan#item-1')).toMatchObject({
      status: 'open',
      escalationRung: 2,
      onBulletin: true,
    });
    expect(s.items).toEqual({ total: 2, open: 0, overdue: 1, completed: 1, waived: 0 });
    const api1 = await http()
      .get(`/api/cycles/${cycle1}/units/${unitA}/rectification-items`)
      .set(secParent.headers)
      .expect(200);
    expect(api1.body.counts).toEqual({ total: 2, open: 0, overdue: 1, completed: 1, waived: 0 });
    expect(api1.body.items[0]).toMatchObject({ status: 'open', escalationLevel: 3 });
    const escalated = (await eventsOf(h.db, unitA))
      .filter((e) => e.step === 'rectification-plan#item-1' && e.kind === 'escalated')
      .map((e) => e.summary);
    expect(escalated[1]).toBe(
      `Escalated to the office: 整改项目 1: 作业总量公示 due ${d1} 23:59 (Asia/Shanghai), 5 days overdue; unit put on the bulletin (通报)`,
    );
  });

  it('checks the attendance minimum when the stage closes: event text and flag below and at the minimum', async () => {
    const closes = t0 + 40 * DAY;
    await h.advanceTo(closes + 1_000);
    const checkOf = async (unit: string) =>
      (await eventsOf(h.db, unit)).filter((e) => e.kind.startsWith('attendance_'));
    const a = await eventually(
      () => checkOf(unitA),
      (e) => e.length === 1,
    );
    const b = await eventually(
      () => checkOf(unitB),
      (e) => e.length === 1,
    );
    expect(a.map((e) => [e.kind, e.at, e.summary])).toEqual([
      [
        'attendance_below_minimum',
        isoOf(closes),
        'Attendance 36 of 48 hours at the close of 整改落实: below the minimum',
      ],
    ]);
    expect(b.map((e) => [e.kind, e.at, e.summary])).toEqual([
      ['attendance_met', isoOf(closes), 'Attendance 48 of 48 hours at the close of 整改落实: the minimum is met'],
    ]);
    expect(
      await h.db.query(
        `SELECT unit_id, stage_key, hours::float8 AS hours, min_hours::float8 AS min, met, checked_at FROM attendance_check WHERE cycle_id = $1 ORDER BY hours`,
        [cycle1],
      ),
    ).toEqual([
      { unit_id: unitA, stage_key: 'rectification', hours: 36, min: 48, met: false, checked_at: new Date(closes) },
      { unit_id: unitB, stage_key: 'rectification', hours: 48, min: 48, met: true, checked_at: new Date(closes) },
    ]);
    expect((await statusOf(cycle1, unitA)).attendance).toEqual([
      { stageKey: 'rectification', hours: 36, minHours: 48, met: false, checkedAt: isoOf(closes) },
    ]);
    const shown = await http().get(`/api/cycles/${cycle1}/units/${unitA}/attendance`).set(auditor.headers).expect(200);
    expect(shown.body.checks).toEqual([
      { stageKey: 'rectification', hours: 36, minHours: 48, met: false, checkedAt: isoOf(closes) },
    ]);
    // hours logged after the close do not change the recorded check
    await http()
      .post(`/api/cycles/${cycle1}/units/${unitA}/attendance`)
      .set(secA.headers)
      .set(key())
      .send({ date: '2027-09-01', hours: 12, members: 30, title: '补课' })
      .expect(201);
    const later = await http().get(`/api/cycles/${cycle1}/units/${unitA}/attendance`).set(secA.headers).expect(200);
    expect(later.body).toMatchObject({ totalHours: 48, metSoFar: true, checks: [{ hours: 36, met: false }] });
  });

  it('lets the unit leave the stage (and complete) once the last item is completed late', async () => {
    expect((await statusOf(cycle1, unitA)).currentStage).toBe('rectification');
    await submitAndAccept(
      secA,
      cycle1,
      unitA,
      'rectification-plan#item-1',
      [{ key: 'evidence', kind: 'free_form', text: '作业总量已按月公示 3 次。' }],
      { deliverableKey: 'evidence' },
    );
    const handle = h.env.client.workflow.getHandle(unitWorkflowId(cycle1, unitA));
    await handle.result();
    const s = await handle.query(unitStatusQuery);
    expect(s).toMatchObject({
      state: 'completed',
      currentStage: null,
      items: { total: 2, open: 0, overdue: 0, completed: 2, waived: 0 },
    });
    const kinds = (
      await eventually(
        () => eventsOf(h.db, unitA),
        (e) => e.some((x) => x.kind === 'completed'),
      )
    ).map((e) => e.kind);
    expect(kinds.slice(-3)).toEqual(['accepted', 'stage_left', 'completed']);
    await maybeRecordHistory(handle, 'rectification-items-attendance');
  });
});

import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import type { CyclePlan } from '../../../libs/domain/src/plan/unit-plan';
import {
  pauseSignal,
  resumeSignal,
  unitStatusQuery,
  type UnitWorkflowStatus,
} from '../../../workflows/campaign/messages';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import { createTestApi } from '../../support/api';
import { insertUnit, loginAs, type LoggedIn } from '../../support/auth';
import { insertCycle, schoolUnitInput, startUnitWorkflow } from '../../support/cycle-fixtures';
import { startHarness, type CampaignHarness } from '../../workflows/campaign/harness';
import { DAY, isoOf, shanghaiIso } from '../../support/time';
import { eventually } from '../../support/eventually';

const TASK_QUEUE = 'inspection-timeline';
/** The office admins driving the step (the drive endpoints record the signed-in account's e-mail as the actor). */
const WANG = 'wang.shuji@xh.example.cn';
const LI = 'li.shenhe@xh.example.cn';
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Asia/Shanghai has no DST: +8 h, written out by hand so the test does not share the api's formatter. */
const sh = (ms: number, seconds = false) =>
  shanghaiIso(ms)
    .slice(0, seconds ? 19 : 16)
    .replace('T', ' ');

/** One stage, one step: opens t0+1d, due t0+10d, one reminder 7 days before (t0+3d), no escalation ladder. */
function oneStepPlan(t0: number): CyclePlan {
  return {
    templateKey: 'inspection-one-step',
    templateVersion: 1,
    campaignName: '满意在徐汇（巡检测试）',
    timeZone: 'Asia/Shanghai',
    cycleStartsAt: isoOf(t0),
    stages: [
      {
        key: 's1',
        title: '学习调研',
        opensAt: isoOf(t0),
        closesAt: isoOf(t0 + 10 * DAY),
        steps: [
          {
            key: 's1-study',
            stageKey: 's1',
            title: '开展学习调研',
            opensAt: isoOf(t0 + DAY),
            dueAt: isoOf(t0 + 10 * DAY),
            required: true,
            reviewRequired: true,
            deliverables: [{ key: 'report', kind: 'report', title: '调研报告', required: true }],
            reminderOffsetsMs: [7 * DAY],
            escalation: [],
          },
        ],
      },
    ],
  };
}

/**
 * The admin timeline on the real time-skipping server with the real worker: a unit with one step goes through a
 * refused submit (step not open yet), its opening, a reminder, submit, return, resubmit and accept, across a
 * continue-as-new; the timeline shows read-model rows, Temporal events of both runs and the refused update.
 */
describe('inspection timeline and why (time-skipping Temporal, real worker, real PostgreSQL)', () => {
  let h: CampaignHarness;
  let api: INestApplication;
  let t0: number;
  let cycleId: string, unitA: string, unitB: string, workflowId: string;
  let admin: LoggedIn,
    auditor: LoggedIn,
    secretaryA: LoggedIn,
    secretaryB: LoggedIn,
    reviewer: LoggedIn,
    submitterA: LoggedIn;
  const http = () => request(api.getHttpServer());
  const status = () =>
    h.env.client.workflow.getHandle(workflowId).query(unitStatusQuery) as Promise<UnitWorkflowStatus>;
  const stepStatus = async () => (await status()).steps[0].status;
  // The office's drive tool (office_admin only); the actor recorded is the signed-in account's e-mail.
  const drivers: Record<string, LoggedIn> = {};
  const drive = (path: string, body: object, actor: string) =>
    http().post(`/api/cycles/${cycleId}/units/${unitA}/steps/s1-study/${path}`).set(drivers[actor].headers).send(body);
  const readModelKinds = async () =>
    (await h.db.query(`SELECT kind FROM unit_event WHERE unit_id = $1 ORDER BY seq`, [unitA])).map(
      (r: { kind: string }) => r.kind,
    );

  beforeAll(async () => {
    h = await startHarness(TASK_QUEUE);
    api = await createTestApi({
      databaseUrl: h.db.url,
      temporal: h.env.client,
      env: { TEMPORAL_TASK_QUEUE: TASK_QUEUE, TEMPORAL_UI_URL: 'http://ui.example:8233/' },
    });
    const parent = await insertUnit(api, 'XH-GB1', { kind: 'general_branch' });
    unitA = await insertUnit(api, 'XH-A01', { parentId: parent });
    unitB = await insertUnit(api, 'XH-B01', { parentId: parent });
    t0 = Math.floor((await h.env.currentTimeMs()) / 1000) * 1000;
    const plan = oneStepPlan(t0);
    cycleId = await insertCycle(h.db.dataSource, [unitA], plan);
    workflowId = unitWorkflowId(cycleId, unitA);
    [admin, auditor, secretaryA, secretaryB, reviewer, submitterA] = await Promise.all([
      loginAs(api, 'office_admin'),
      loginAs(api, 'auditor'),
      loginAs(api, 'unit_secretary', unitA),
      loginAs(api, 'unit_secretary', unitB),
      loginAs(api, 'office_reviewer'),
      loginAs(api, 'unit_submitter', unitA),
    ]);
    for (const actor of [WANG, LI]) drivers[actor] = await loginAs(api, 'office_admin', undefined, { email: actor });
    const input = schoolUnitInput(cycleId, { id: unitA, code: 'XH-A01' }, plan, { continueAsNewAfterEvents: 12 });
    await startUnitWorkflow(h.env.client, TASK_QUEUE, input);
    await eventually(readModelKinds, (k) => k.includes('stage_entered'));

    // 1. submit before the step opens: the workflow's validator refuses (409), Temporal's history keeps nothing of it
    const refused = await drive('submit', { submissionId: 'sub-0' }, WANG).expect(409);
    expect(refused.body.message).toMatch(/not open yet/);
    // 2. the step opens at t0+1d, the reminder goes out at t0+3d
    await h.advanceTo(t0 + 3 * DAY + 1000);
    await eventually(readModelKinds, (k) => k.includes('reminder_sent'));
    // 3. submit, return, resubmit, accept
    await drive('submit', { submissionId: 'sub-1' }, WANG).expect(200);
    await drive('review', { decision: 'return', comment: '请补充调研报告' }, LI).expect(200);
    await eventually(stepStatus, (s) => s === 'returned');
    await eventually(readModelKinds, (k) => k.includes('returned'));
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  it('why: a returned step, overdue as of a given instant', async () => {
    const returnedAt = Date.parse(
      (
        await h.db.query(`SELECT returned_at FROM unit_step_status WHERE unit_id = $1`, [unitA])
      )[0].returned_at.toISOString(),
    );
    const res = await http()
      .get(`/api/cycles/${cycleId}/units/XH-A01/why`)
      .query({ stepKey: 's1-study', asOf: isoOf(t0 + 19 * DAY + 3600_000) })
      .set(secretaryA.headers)
      .expect(200);
    expect(res.body).toEqual({
      stepKey: 's1-study',
      title: '开展学习调研',
      status: 'returned',
      en: `Open since ${sh(t0 + DAY)} (Asia/Shanghai); submission sub-1 returned ${sh(returnedAt)} by ${LI}: 请补充调研报告; awaiting resubmission; due ${sh(t0 + 10 * DAY, true)}; overdue 9 days`,
      zh: `自 ${sh(t0 + DAY)}（Asia/Shanghai）起开放；提交 sub-1 于 ${sh(returnedAt)} 被${LI}退回：请补充调研报告；等待重新提交；截止 ${sh(t0 + 10 * DAY, true)}；已逾期9天`,
      facts: { overdueDays: 9, extensions: 0, escalations: [], onBulletin: false },
      asOf: isoOf(t0 + 19 * DAY + 3600_000),
    });
  });

  it('why: 403 for a foreign unit secretary, 400 without stepKey or for an unknown step', async () => {
    await http()
      .get(`/api/cycles/${cycleId}/units/${unitA}/why`)
      .query({ stepKey: 's1-study' })
      .set(secretaryB.headers)
      .expect(403);
    const missing = await http().get(`/api/cycles/${cycleId}/units/${unitA}/why`).set(admin.headers).expect(400);
    expect(missing.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'stepKey' })]));
    const unknown = await http()
      .get(`/api/cycles/${cycleId}/units/${unitA}/why`)
      .query({ stepKey: 'nope' })
      .set(admin.headers)
      .expect(400);
    expect(unknown.body.details).toEqual([{ field: 'stepKey', problem: 'no step "nope" for this unit in this cycle' }]);
  });

  it('timeline: read model, Temporal history of every run and the refused update, in order and in plain words', async () => {
    // the office pauses and resumes the unit (signals, as the cycle workflow would send them)
    const handle = h.env.client.workflow.getHandle(workflowId);
    await handle.signal(pauseSignal, { actor: '办公室', reason: '迎接检查，暂停一天' });
    await eventually(readModelKinds, (k) => k.includes('paused'));
    await handle.signal(resumeSignal, { actor: '办公室' });
    await eventually(readModelKinds, (k) => k.includes('resumed'));
    await drive('submit', { submissionId: 'sub-2' }, WANG).expect(200);
    await drive('review', { decision: 'accept', comment: '材料齐全' }, LI).expect(200);
    await h.env.client.workflow.getHandle(workflowId).result();
    await eventually(readModelKinds, (k) => k.includes('completed'));

    const res = await http().get(`/api/cycles/${cycleId}/units/XH-A01/timeline`).set(admin.headers).expect(200);
    const body = res.body;
    expect(body).toMatchObject({ cycleId, unitId: unitA, unitCode: 'XH-A01', workflowId, timeZone: 'Asia/Shanghai' });
    const runIds: string[] = body.runIds;
    expect(runIds.length).toBeGreaterThanOrEqual(2); // continueAsNewAfterEvents: 12 forces at least one continue-as-new
    const entries: any[] = body.entries;

    // chronological (each source in its own order: Temporal by run and event id, the read model by seq; consecutive
    // runs' event times may disagree by a few ms), each with ISO and local time, a source, and a UI link of its run
    const times = entries.map((e) => Date.parse(e.at));
    times.forEach((t, i) => expect(t).toBeGreaterThanOrEqual((i ? times[i - 1] : t) - 50));
    const temporalOrder = entries.filter((e) => e.source === 'temporal').map((e) => e.runNumber * 1e6 + e.eventId);
    expect(temporalOrder).toEqual([...temporalOrder].sort((a, b) => a - b));
    for (const e of entries) {
      expect(e.atLocal).toBe(sh(Date.parse(e.at), true));
      expect(['read-model', 'temporal', 'api']).toContain(e.source);
      if (e.runId)
        expect(e.link).toBe(
          `http://ui.example:8233/namespaces/default/workflows/${encodeURIComponent(workflowId)}/${e.runId}/history`,
        );
    }

    // (a) the read model, in full
    const rm = entries.filter((e) => e.source === 'read-model');
    expect(rm.map((e) => [e.kind, e.actor, e.zh])).toEqual([
      ['started', 'system', '工作流启动：本单位开始参加本轮活动'],
      ['stage_entered', 'system', '进入阶段：学习调研'],
      ['step_opened', 'system', '环节开启：开展学习调研'],
      ['reminder_sent', 'system', `已发送提醒：开展学习调研截止时间为 ${sh(t0 + 10 * DAY)}`],
      ['submitted', WANG, `收到提交 sub-1（${WANG}）：开展学习调研，等待审核`],
      ['returned', LI, `提交 sub-1 被退回修改（${LI}）：开展学习调研。意见：请补充调研报告`],
      ['paused', '办公室', '暂停（办公室）：迎接检查，暂停一天；恢复前不开启环节、不发通知'],
      ['resumed', '办公室', '恢复（办公室）'],
      ['submitted', WANG, `收到提交 sub-2（${WANG}）：开展学习调研，等待审核`],
      ['accepted', LI, `提交 sub-2 已通过（${LI}）：开展学习调研。意见：材料齐全`],
      ['stage_left', 'system', '离开阶段：学习调研（必需环节均已通过或免于提交）'],
      ['completed', 'system', '本轮活动完成：所有环节均已通过、免于提交或结束'],
    ]);
    expect(rm.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(rm.find((e) => e.kind === 'step_opened').at).toBe(isoOf(t0 + DAY));
    expect(rm.find((e) => e.kind === 'reminder_sent')).toMatchObject({
      at: isoOf(t0 + 3 * DAY),
      en: `Reminder sent: 开展学习调研 due ${sh(t0 + 10 * DAY)} (Asia/Shanghai), 7 days left`,
    });

    // (b) the refused update, recorded by the api, before the step opened
    const refused = entries.filter((e) => e.source === 'api');
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({
      kind: 'WorkflowExecutionUpdateRejected',
      actor: WANG,
      runId: runIds[0],
      runNumber: 1,
      en: expect.stringMatching(
        new RegExp(
          `^Update 'submit' rejected \\(step s1-study, submission sub-0 by ${escapeRegExp(WANG)}\\): step "s1-study" is not open yet \\(pending; its window opens .+\\)$`,
        ),
      ),
    });
    expect(Date.parse(refused[0].at)).toBeLessThan(t0 + DAY);

    // (c) Temporal: updates, timers, activities, continue-as-new — every run, translated
    const temporal = entries.filter((e) => e.source === 'temporal');
    const sentences = temporal.map((e) => e.en);
    expect(sentences[0]).toBe(`Workflow unitCampaignWorkflow started (run 1) on task queue ${TASK_QUEUE}`);
    expect(sentences.filter((s) => s.startsWith('Update '))).toEqual([
      `Update 'submit' accepted: step s1-study, submission sub-1 by ${WANG}`,
      "Update 'submit' completed: step s1-study is now submitted",
      `Update 'review' accepted: return submission sub-1 of step s1-study by ${LI}: 请补充调研报告`,
      "Update 'review' completed: step s1-study is now returned",
      `Update 'submit' accepted: step s1-study, submission sub-2 by ${WANG}`,
      "Update 'submit' completed: step s1-study is now submitted",
      `Update 'review' accepted: accept submission sub-2 of step s1-study by ${LI}: 材料齐全`,
      "Update 'review' completed: step s1-study is now accepted",
    ]);
    expect(
      temporal.find((e) => e.en === `Update 'submit' accepted: step s1-study, submission sub-1 by ${WANG}`),
    ).toMatchObject({
      kind: 'WorkflowExecutionUpdateAccepted',
      actor: WANG,
      zh: `更新 'submit' 已接受：环节 s1-study，提交 sub-1，提交人 ${WANG}`,
    });
    // the timer that opened the step fired at t0+1d, after the whole day it waited for
    // (the workflow started a few seconds after t0: logins hash passwords first)
    const fired = temporal.filter((e) => e.kind === 'TimerFired');
    expect(Math.abs(Date.parse(fired[0].at) - (t0 + DAY))).toBeLessThan(1000);
    expect(fired[0]).toMatchObject({
      runNumber: 1,
      en: expect.stringMatching(/^Timer fired after 23 h 5\d min$/),
      zh: expect.stringMatching(/^定时器到期：已等待23小时5\d分钟$/),
    });
    // the reminder's timer was started in run 2 and waited the rest of the two days
    const reminderTimer = fired.find((e) => Math.abs(Date.parse(e.at) - (t0 + 3 * DAY)) < 1000);
    expect(reminderTimer).toMatchObject({ en: expect.stringMatching(/^Timer fired after (1 day 23 h|2 days)$/) });
    expect(sentences).toContain('Activity recordNotice completed (reminder notice for step s1-study, to unit)');
    expect(temporal.filter((e) => e.kind === 'WorkflowExecutionSignaled').map((e) => [e.en, e.zh, e.actor])).toEqual([
      [
        "Signal 'pause' received from 办公室: 迎接检查，暂停一天",
        "收到信号 'pause'，来自 办公室：迎接检查，暂停一天",
        '办公室',
      ],
      ["Signal 'resume' received from 办公室", "收到信号 'resume'，来自 办公室", '办公室'],
    ]);
    expect(
      sentences.filter((s) => s.startsWith('Activity recordUnitTransition completed (read model: ')).length,
    ).toBeGreaterThanOrEqual(5);
    for (let run = 2; run <= runIds.length; run++) {
      expect(sentences).toContain(`Continued as new (run ${run}: ${runIds[run - 1]})`);
      expect(sentences).toContain(`Run ${run} started, continuing run ${run - 1} (${runIds[run - 2]})`);
    }
    expect(sentences.at(-1)).toBe('Workflow completed');
    expect(
      temporal.every((e) => typeof e.eventId === 'number' && e.runNumber >= 1 && runIds[e.runNumber - 1] === e.runId),
    ).toBe(true);
    // bookkeeping events only on request
    expect(temporal.some((e) => e.kind === 'WorkflowTaskCompleted')).toBe(false);
    const all = await http()
      .get(`/api/cycles/${cycleId}/units/${unitA}/timeline`)
      .query({ detail: 'all' })
      .set(auditor.headers)
      .expect(200);
    expect(all.body.entries.filter((e: any) => e.kind === 'WorkflowTaskCompleted').length).toBeGreaterThan(0);
    expect(all.body.entries.length).toBeGreaterThan(entries.length);

    // why, after acceptance
    const why = await http()
      .get(`/api/cycles/${cycleId}/units/${unitA}/why`)
      .query({ stepKey: 's1-study' })
      .set(admin.headers)
      .expect(200);
    const acceptedAt = Date.parse(rm.find((e) => e.kind === 'accepted').at);
    expect(why.body.en).toBe(
      `Accepted ${sh(acceptedAt)} (Asia/Shanghai) by ${LI} (submission sub-2); due ${sh(t0 + 10 * DAY, true)}`,
    );
  });

  it('timeline: office admins, auditors and the unit’s own secretary; 403 for anyone else', async () => {
    const url = `/api/cycles/${cycleId}/units/${unitA}/timeline`;
    await http().get(url).set(auditor.headers).expect(200);
    await http().get(url).set(secretaryA.headers).expect(200);
    const foreign = await http().get(url).set(secretaryB.headers).expect(403);
    expect(foreign.body.message).toBe(`the timeline of unit XH-A01 is not readable by ${secretaryB.user.email}`);
    await http().get(url).set(reviewer.headers).expect(403);
    await http().get(url).set(submitterA.headers).expect(403);
    await http().get(url).expect(401);
    await http().get(`/api/cycles/${cycleId}/units/${unitB}/timeline`).set(admin.headers).expect(404);
    await http().get(url).query({ detail: 'everything' }).set(admin.headers).expect(400);
  });
});

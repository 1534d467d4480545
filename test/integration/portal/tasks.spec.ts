import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { insertUnit, LoggedIn, loginAs } from '../../support/auth';
import { insertCycle } from '../../support/cycle-fixtures';
import { useTestApi } from '../../support/test-stack';
import { DAY, HOUR } from '../../support/time';
import { evaluationBody, overallQuestion } from '../../support/evaluation-fixtures';

/**
 * The units' portal read side over HTTP: "my tasks" bucketed and counted in days, scoped to the caller's unit (a
 * secretary: the subtree), the task a notice links to, and the public form a one-time evaluation link opens.
 */
describe('portal: my tasks and the task page', () => {
  const stack = useTestApi();
  let cycleId: string;
  let parent: string, unitA: string, unitB: string;
  let subA: LoggedIn, secB: LoggedIn, secParent: LoggedIn, admin: LoggedIn;
  let returnedSubmission: string;
  const http = () => request(stack.api.getHttpServer());

  async function stepRow(
    unitId: string,
    stepKey: string,
    stageKey: string,
    status: string,
    dueAt: number,
    seq: number,
  ) {
    await stack.db.query(
      `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at, original_due_at, seq)
       VALUES ($1, $2, $3, $4, $5, true, $6, $7, $8, $8, $9)`,
      [
        cycleId,
        unitId,
        stepKey,
        stageKey,
        `title of ${stepKey}`,
        status,
        new Date(dueAt - 20 * DAY),
        new Date(dueAt),
        seq,
      ],
    );
  }

  beforeAll(async () => {
    parent = await insertUnit(stack.api, 'P-总支', { kind: 'general_branch' });
    unitA = await insertUnit(stack.api, 'A-支部', { parentId: parent });
    unitB = await insertUnit(stack.api, 'B-支部', { parentId: parent });
    cycleId = await insertCycle(stack.db.dataSource, [unitA, unitB]);
    [subA, secB, secParent, admin] = await Promise.all([
      loginAs(stack.api, 'unit_submitter', unitA),
      loginAs(stack.api, 'unit_secretary', unitB),
      loginAs(stack.api, 'unit_secretary', parent),
      loginAs(stack.api, 'office_admin'),
    ]);
    const now = Date.now();
    await stepRow(unitA, 'study-research', 'study', 'returned', now + 3 * DAY, 1);
    await stepRow(unitA, 'study-notes', 'study', 'open', now - 2 * DAY + HOUR, 2);
    await stepRow(unitA, 'rectification-plan', 'rectify', 'pending', now + 60 * DAY, 3);
    await stepRow(unitB, 'study-research', 'study', 'open', now + 10 * DAY, 1);
    await stepRow(unitB, 'study-notes', 'study', 'accepted', now + 10 * DAY, 2);
    returnedSubmission = randomUUID();
    await stack.db.query(
      `INSERT INTO submission (id, cycle_id, unit_id, step_key, status, draft, current_version, created_by) VALUES ($1, $2, $3, 'study-research', 'returned', '{"deliverables":[]}', 2, $4)`,
      [returnedSubmission, cycleId, unitA, subA.user.id],
    );
    for (const [version, comment] of [
      [1, '请补充调研对象'],
      [2, '学习交流记录缺少缺席人数'],
    ] as const) {
      await stack.db.query(
        `INSERT INTO submission_version (id, submission_id, version, content, submitted_by, submitted_at, decision, decided_by, decided_at, review_comment)
         VALUES ($1, $2, $3::int, '{"deliverables":[]}', $4, now(), 'returned', $5, now() + make_interval(secs => $3::int), $6)`,
        [randomUUID(), returnedSubmission, version, subA.user.id, admin.user.id, comment],
      );
    }
  });

  const tasks = (who: LoggedIn, query = '') =>
    http()
      .get(`/api/portal/tasks${query}`)
      .set(who.headers)
      .expect(200)
      .then((r) => r.body);
  const brief = (t: { unitCode: string; stepKey: string; bucket: string; daysLeft: number; daysOverdue: number }) =>
    `${t.unitCode}/${t.stepKey}:${t.bucket}:${t.daysLeft}:${t.daysOverdue}`;

  it("gives a submitter their unit's open steps, most urgent first, with days left and overdue and the latest return comment", async () => {
    const body = await tasks(subA);
    expect(body.units).toEqual([{ id: unitA, code: 'A-支部', name: 'Unit A-支部', own: true }]);
    expect(body.tasks.map(brief)).toEqual([
      'A-支部/study-notes:overdue:0:2',
      'A-支部/study-research:returned:3:0',
      'A-支部/rectification-plan:upcoming:60:0',
    ]);
    expect(body.tasks[1]).toMatchObject({
      cycleId,
      campaignName: '学习实践活动 (test)',
      stageTitle: '学习调研',
      title: 'title of study-research',
      status: 'returned',
      submissionId: returnedSubmission,
      submissionStatus: 'returned',
      currentVersion: 2,
      reviewComment: '学习交流记录缺少缺席人数',
      timeZone: 'Asia/Shanghai',
    });
    expect(body.tasks[0]).toMatchObject({ submissionId: null, reviewComment: null, currentVersion: 0 });
  });

  it("never shows a unit another unit's steps; a secretary above sees the subtree; office sees all", async () => {
    expect((await tasks(secB)).tasks.map(brief)).toEqual(['B-支部/study-research:open:10:0']);
    const mine = await tasks(secParent);
    expect(mine.units.map((u: { code: string; own: boolean }) => `${u.code}:${u.own}`)).toEqual([
      'P-总支:true',
      'A-支部:false',
      'B-支部:false',
    ]);
    expect(mine.tasks.map(brief)).toEqual([
      'A-支部/study-notes:overdue:0:2',
      'A-支部/study-research:returned:3:0',
      'B-支部/study-research:open:10:0',
      'A-支部/rectification-plan:upcoming:60:0',
    ]);
    expect((await tasks(admin)).tasks).toHaveLength(4);
    expect((await tasks(admin)).units).toEqual([]);
    const refused = await http().get(`/api/portal/tasks?unitId=${unitA}`).set(secB.headers).expect(403);
    expect(refused.body.error).toBe('FORBIDDEN');
    expect((await tasks(secParent, `?unitId=${unitB}`)).tasks.map(brief)).toEqual(['B-支部/study-research:open:10:0']);
  });

  it('lists finished steps too when asked for all (history), and refuses an unknown scope', async () => {
    expect((await tasks(secB, '?scope=all')).tasks.map(brief)).toEqual([
      'B-支部/study-research:open:10:0',
      'B-支部/study-notes:done:10:0',
    ]);
    const bad = await http().get('/api/portal/tasks?scope=everything').set(secB.headers).expect(400);
    expect(bad.body.details).toEqual([{ field: 'scope', problem: 'must be active or all' }]);
  });

  it('opens the task a notice links to (unit by code) with its deliverables, write right and upload rules', async () => {
    const res = await http()
      .get(`/api/portal/tasks/${cycleId}/${encodeURIComponent('A-支部')}/study-research`)
      .set(subA.headers)
      .expect(200);
    expect(res.body).toMatchObject({
      unitId: unitA,
      bucket: 'returned',
      canWrite: true,
      reviewRequired: true,
      reviewComment: '学习交流记录缺少缺席人数',
      deliverables: [
        { key: 'research-report', kind: 'report', title: '调研报告', required: true },
        { key: 'exchange-minutes', kind: 'meeting_minutes', title: '学习交流记录', required: true },
      ],
      attachmentRules: {
        maxBytes: 20 * 1024 * 1024,
        mimeTypes: expect.arrayContaining(['application/pdf', 'image/png', 'text/plain']),
      },
    });
    const byId = await http()
      .get(`/api/portal/tasks/${cycleId}/${unitA}/study-research`)
      .set(secParent.headers)
      .expect(200);
    expect(byId.body.canWrite).toBe(false);
    await http().get(`/api/portal/tasks/${cycleId}/${unitA}/study-research`).set(secB.headers).expect(403);
    await http().get(`/api/portal/tasks/${cycleId}/${unitA}/no-such-step`).set(subA.headers).expect(404);
    await http().get(`/api/portal/tasks/${cycleId}/no-such-unit/study-research`).set(subA.headers).expect(404);
  });

  it('keeps a half-filled plan row in a draft (autosave) but refuses it on submit', async () => {
    const res = await http()
      .post('/api/submissions')
      .set(subA.headers)
      .set('Idempotency-Key', randomUUID())
      .send({
        cycleId,
        unitId: unitA,
        stepKey: 'rectification-plan',
        deliverables: [{ key: 'plan', kind: 'plan_with_items', fields: { items: [{ goal: '改进作风' }] } }],
      })
      .expect(201);
    expect(res.body.draft.deliverables[0].fields.items).toEqual([{ goal: '改进作风' }]);
    const bad = await http()
      .put(`/api/submissions/${res.body.id}/draft`)
      .set(subA.headers)
      .send({
        deliverables: [
          { key: 'plan', kind: 'plan_with_items', fields: { items: [{ goal: '  ', deadline: '2026-02-30' }] } },
        ],
      })
      .expect(400);
    expect(bad.body.details).toEqual([
      { field: 'deliverables[0].fields.items[0].goal', problem: 'must not be empty' },
      { field: 'deliverables[0].fields.items[0].deadline', problem: 'is not a calendar date' },
    ]);
  });
});

describe('portal: the form a one-time evaluation link opens', () => {
  const stack = useTestApi();
  let tokens: string[];
  const http = () => request(stack.api.getHttpServer());

  beforeAll(async () => {
    const unit = await insertUnit(stack.api, 'E-支部');
    const admin = await loginAs(stack.api, 'office_admin');
    const evaluation = await http()
      .post('/api/evaluations')
      .set(admin.headers)
      .set('Idempotency-Key', randomUUID())
      .send(
        evaluationBody({
          title: '群众满意度测评',
          closesAt: new Date(Date.now() + DAY).toISOString(),
          questions: [overallQuestion('总体满意程度')],
        }),
      )
      .expect(201);
    const batch = await http()
      .post(`/api/evaluations/${evaluation.body.id}/tokens`)
      .set(admin.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ unitId: unit, count: 2 })
      .expect(201);
    tokens = batch.body.tokens.map((t: { token: string }) => t.token);
  });

  it('shows the questions to an unused token without an account, then "used" once answered; an unknown token is 401', async () => {
    const open = await http().post('/api/evaluations/form').send({ token: tokens[0] }).expect(200);
    expect(open.body).toMatchObject({
      title: '群众满意度测评',
      kind: 'satisfaction',
      state: 'open',
      questions: [{ key: 'overall', type: 'scale', min: 1, max: 5, required: true }],
    });
    await http()
      .post('/api/evaluations/responses')
      .send({ token: tokens[0], answers: { overall: 5 } })
      .expect(201);
    const used = await http().post('/api/evaluations/form').send({ token: tokens[0] }).expect(200);
    expect(used.body).toMatchObject({ state: 'used', questions: [] });
    expect((await http().post('/api/evaluations/form').send({ token: tokens[1] }).expect(200)).body.state).toBe('open');
    const unknown = await http()
      .post('/api/evaluations/form')
      .send({ token: 'x'.repeat(32) })
      .expect(401);
    expect(unknown.body.details).toEqual([{ field: 'token', problem: 'is not a valid token' }]);
  });

  it('says "closed" after the window without showing the questions', async () => {
    await stack.db.query(`UPDATE evaluation SET closes_at = now() - interval '1 minute'`);
    expect((await http().post('/api/evaluations/form').send({ token: tokens[1] }).expect(200)).body).toMatchObject({
      state: 'closed',
      questions: [],
    });
  });
});

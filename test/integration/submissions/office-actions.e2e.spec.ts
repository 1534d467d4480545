import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { SubmissionReconciler } from '../../../apps/api/src/submissions/submission-reconciler';
import { cancelSignal, unitStatusQuery } from '../../../workflows/campaign/messages';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import { insertUnit, LoggedIn, loginAs } from '../../support/auth';
import {
  completeStudyDraft,
  insertCycle,
  schoolUnitInput,
  startUnitWorkflow,
  submissionTestPlan,
} from '../../support/cycle-fixtures';
import { ApiStack, startApiStack } from '../../support/api-stack';
import type { TestDatabase } from '../../support/database';
import { eventually } from '../../support/eventually';
import { DAY } from '../../support/time';

const TASK_QUEUE = 'office-actions';
const STEP = 'study-research';

type State = 'draft' | 'submitted' | 'returned' | 'accepted';
type Action = 'waive' | 'extend' | 'drive-submit' | 'drive-accept' | 'drive-return' | 'cancel';

/** What each office action does to a submission in each state: the HTTP answer (and its code) and the row after. */
const EXPECTED: Record<
  Action,
  Record<State, { http: number; code?: string; row: string; decision?: string | null }>
> = {
  waive: {
    draft: { http: 200, row: 'waived' },
    submitted: { http: 200, row: 'waived', decision: null },
    returned: { http: 200, row: 'waived', decision: 'returned' },
    accepted: { http: 409, code: 'ALREADY_DECIDED', row: 'accepted', decision: 'accepted' },
  },
  extend: {
    draft: { http: 200, row: 'draft' },
    submitted: { http: 200, row: 'submitted', decision: null },
    returned: { http: 200, row: 'returned', decision: 'returned' },
    accepted: { http: 409, code: 'ALREADY_DECIDED', row: 'accepted', decision: 'accepted' },
  },
  // a paper submission recorded by the office: the unit's own draft is not it, so the row stays as it was
  'drive-submit': {
    draft: { http: 200, row: 'draft' },
    submitted: { http: 409, code: 'ALREADY_SUBMITTED', row: 'submitted', decision: null },
    returned: { http: 200, row: 'returned', decision: 'returned' },
    accepted: { http: 409, code: 'ALREADY_DECIDED', row: 'accepted', decision: 'accepted' },
  },
  'drive-accept': {
    draft: { http: 409, code: 'NOT_AWAITING_REVIEW', row: 'draft' },
    submitted: { http: 200, row: 'accepted', decision: 'accepted' },
    returned: { http: 409, code: 'NOT_AWAITING_REVIEW', row: 'returned', decision: 'returned' },
    // the same decision on the same submission is the same Update id: Temporal answers with the first outcome
    accepted: { http: 200, row: 'accepted', decision: 'accepted' },
  },
  'drive-return': {
    draft: { http: 409, code: 'NOT_AWAITING_REVIEW', row: 'draft' },
    submitted: { http: 200, row: 'returned', decision: 'returned' },
    returned: { http: 200, row: 'returned', decision: 'returned' }, // the reviewer's return again: its first answer
    accepted: { http: 409, code: 'ALREADY_DECIDED', row: 'accepted', decision: 'accepted' },
  },
  // the cycle's cancel reaches each unit as this signal (fanned out by the coordinator)
  cancel: {
    draft: { http: 200, row: 'cancelled' },
    submitted: { http: 200, row: 'cancelled', decision: null },
    returned: { http: 200, row: 'cancelled', decision: 'returned' },
    accepted: { http: 200, row: 'accepted', decision: 'accepted' },
  },
};
const STATES: State[] = ['draft', 'submitted', 'returned', 'accepted'];
const ACTIONS = Object.keys(EXPECTED) as Action[];

/**
 * Issue 9 item 3: the workflow is the source of truth for a step's state. Every office action (waive, extend, the
 * drive tools, cancel) over every submission state (draft, submitted, returned, accepted), one unit each: the
 * answer, the submission row, its version's decision and the reviewers' queue all follow the workflow.
 */
describe('office actions over every submission state (time-skipping server, real worker)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let api: INestApplication;
  let stack: ApiStack;
  let cycleId: string;
  let admin: LoggedIn, reviewer: LoggedIn;
  const cases: { state: State; action: Action; unitId: string; user: LoggedIn; submissionId: string }[] = [];
  const http = () => request(api.getHttpServer());
  const key = () => ({ 'Idempotency-Key': randomUUID() });
  const stepOf = async (unitId: string) =>
    (await env.client.workflow.getHandle(unitWorkflowId(cycleId, unitId)).query(unitStatusQuery)).steps.find(
      (s) => s.key === STEP,
    )!;
  const rowOf = async (id: string) =>
    (
      await db.query(
        `SELECT s.status, v.decision FROM submission s LEFT JOIN submission_version v ON v.submission_id = s.id AND v.version = s.current_version WHERE s.id = $1`,
        [id],
      )
    )[0];

  beforeAll(async () => {
    stack = await startApiStack({ taskQueue: TASK_QUEUE, env: { SUBMISSION_RECONCILE_INTERVAL: '0s' } });
    ({ env, db, api } = stack);
    const plan = submissionTestPlan(await env.currentTimeMs());
    const units: string[] = [];
    for (const action of ACTIONS)
      for (const state of STATES) units.push(await insertUnit(api, `OA-${action}-${state}`));
    units.push(await insertUnit(api, 'OA-reconcile'));
    cycleId = await insertCycle(db.dataSource, units, plan);
    [admin, reviewer] = await Promise.all([loginAs(api, 'office_admin'), loginAs(api, 'office_reviewer')]);
    let i = 0;
    for (const action of ACTIONS) {
      for (const state of STATES) {
        const unitId = units[i++];
        await startUnitWorkflow(
          env.client,
          TASK_QUEUE,
          schoolUnitInput(cycleId, { id: unitId, code: `OA-${i}` }, plan),
        );
        const user = await loginAs(api, 'unit_secretary', unitId);
        cases.push({ state, action, unitId, user, submissionId: '' });
      }
    }
    await startUnitWorkflow(
      env.client,
      TASK_QUEUE,
      schoolUnitInput(cycleId, { id: units[i], code: 'OA-reconcile' }, plan),
    );
    // bring every case's submission into its state through the api
    for (const c of cases) {
      await eventually(
        () => stepOf(c.unitId),
        (s) => s?.status === 'open',
      );
      c.submissionId = (
        await http()
          .post('/api/submissions')
          .set(c.user.headers)
          .set(key())
          .send({ cycleId, unitId: c.unitId, stepKey: STEP, ...completeStudyDraft() })
          .expect(201)
      ).body.id;
      if (c.state === 'draft') continue;
      await http().post(`/api/submissions/${c.submissionId}/submit`).set(c.user.headers).set(key()).expect(200);
      if (c.state === 'submitted') continue;
      const decision = c.state === 'accepted' ? { decision: 'accept' } : { decision: 'return', comment: '请补充' };
      await http()
        .post(`/api/submissions/${c.submissionId}/versions/1/review`)
        .set(reviewer.headers)
        .set(key())
        .send(decision)
        .expect(200);
    }
  });

  afterAll(() => stack?.close());

  const act = async (c: (typeof cases)[number]) => {
    const base = `/api/cycles/${cycleId}/units/${c.unitId}`;
    switch (c.action) {
      case 'waive':
        return http().post(`${base}/waive`).set(admin.headers).send({ stepKey: STEP, reason: '该支部已撤并' });
      case 'extend':
        return http()
          .post(`${base}/extend`)
          .set(admin.headers)
          .send({
            stepKey: STEP,
            newDueAt: new Date((await env.currentTimeMs()) + 60 * DAY).toISOString(),
            reason: '顺延',
          });
      case 'drive-submit':
        return http()
          .post(`${base}/steps/${STEP}/submit`)
          .set(admin.headers)
          .send({ submissionId: `paper-${c.unitId}` });
      case 'drive-accept':
        return http().post(`${base}/steps/${STEP}/review`).set(admin.headers).send({ decision: 'accept' });
      case 'drive-return':
        return http()
          .post(`${base}/steps/${STEP}/review`)
          .set(admin.headers)
          .send({ decision: 'return', comment: '退回修改' });
      case 'cancel':
        await env.client.workflow
          .getHandle(unitWorkflowId(cycleId, c.unitId))
          .signal(cancelSignal, { actor: admin.user.email, reason: '活动取消' });
        return { status: 200, body: {} };
    }
  };

  it('walks every office action over every submission state: answers, rows, decisions and the review queue follow the workflow', async () => {
    const before = await http().get(`/api/submissions/counts?cycleId=${cycleId}`).set(reviewer.headers).expect(200);
    expect(before.body).toEqual([{ stepKey: STEP, draft: 6, submitted: 6, returned: 6, accepted: 6 }]);
    const outcomes: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const c of cases) {
      const res = await act(c);
      const want = EXPECTED[c.action][c.state];
      // the read model (and with it the submission row) is written by an activity a moment after the answer
      const row = await eventually(
        () => rowOf(c.submissionId),
        (r) => r.status === want.row,
        10_000,
      ).catch(() => rowOf(c.submissionId));
      outcomes[`${c.action} on ${c.state}`] = {
        http: res.status,
        ...(res.status >= 400 ? { code: res.body.code } : {}),
        row: row.status,
        ...(c.state === 'draft' ? {} : { decision: row.decision }),
      };
      expected[`${c.action} on ${c.state}`] = {
        http: want.http,
        ...(want.code ? { code: want.code } : {}),
        row: want.row,
        ...(c.state === 'draft' ? {} : { decision: want.decision }),
      };
    }
    expect(outcomes).toEqual(expected);
    // the queue: only the submitted rows no office action moved (extend kept one, drive-submit refused one)
    const after = await http().get(`/api/submissions/counts?cycleId=${cycleId}`).set(reviewer.headers).expect(200);
    expect(after.body).toEqual([{ stepKey: STEP, draft: 4, submitted: 2, returned: 5, accepted: 7 }]);
    const queue = await http()
      .get(`/api/submissions?cycleId=${cycleId}&status=submitted`)
      .set(reviewer.headers)
      .expect(200);
    const stillQueued = cases.filter(
      (c) => c.state === 'submitted' && (c.action === 'extend' || c.action === 'drive-submit'),
    );
    expect(queue.body.map((s: { id: string }) => s.id).sort()).toEqual(stillQueued.map((c) => c.submissionId).sort());
  });

  it('no submission is stuck: a closed step says so (STEP_CLOSED), a step returned by the office goes back to the unit', async () => {
    const waived = cases.find((c) => c.action === 'waive' && c.state === 'submitted')!;
    const review = await http()
      .post(`/api/submissions/${waived.submissionId}/versions/1/review`)
      .set(reviewer.headers)
      .set(key())
      .send({ decision: 'accept' })
      .expect(409);
    expect(review.body.code).toBe('STEP_CLOSED');
    const edit = await http()
      .put(`/api/submissions/${waived.submissionId}/draft`)
      .set(waived.user.headers)
      .send(completeStudyDraft())
      .expect(409);
    expect(edit.body.code).toBe('STEP_CLOSED');
    // returned by the drive tool: the unit edits and resubmits as after any return
    const returned = cases.find((c) => c.action === 'drive-return' && c.state === 'submitted')!;
    await http()
      .put(`/api/submissions/${returned.submissionId}/draft`)
      .set(returned.user.headers)
      .send(completeStudyDraft())
      .expect(200);
    const resubmitted = await http()
      .post(`/api/submissions/${returned.submissionId}/submit`)
      .set(returned.user.headers)
      .set(key())
      .expect(200);
    expect(resubmitted.body).toMatchObject({ status: 'submitted', currentVersion: 2 });
    expect((await stepOf(returned.unitId)).status).toBe('submitted');
  });

  it('the reconciler settles a half-done submit from the workflow, undoes one the workflow never got, and repairs rows left behind', async () => {
    const reconciler = api.get(SubmissionReconciler);
    const unitId = (await db.query(`SELECT id FROM unit WHERE code = 'OA-reconcile'`))[0].id;
    const user = await loginAs(api, 'unit_secretary', unitId);
    await eventually(
      () => stepOf(unitId),
      (s) => s?.status === 'open',
    );
    const id = (
      await http()
        .post('/api/submissions')
        .set(user.headers)
        .set(key())
        .send({ cycleId, unitId, stepKey: STEP, ...completeStudyDraft() })
        .expect(201)
    ).body.id;

    // (a) the workflow never got the update: an intent recorded by a process that died before asking it
    const lostVersion = randomUUID();
    await db.query(
      `INSERT INTO submission_version (id, submission_id, version, content, submitted_by) VALUES ($1, $2, 1, '{"deliverables": []}', $3)`,
      [lostVersion, id, user.user.id],
    );
    await db.query(`UPDATE submission SET status = 'submitting', current_version = 1 WHERE id = $1`, [id]);
    await db.query(
      `INSERT INTO idempotency_key (actor, key, route, request_hash, status_code, response) VALUES ($1, 'lost', $2, 'h', 0, 'null')`,
      [user.user.id, `POST /api/submissions/${id}/submit`],
    );
    expect(await reconciler.reconcile(0)).toEqual({ settled: 0, undone: 1, followed: 0 });
    expect(await db.query(`SELECT status, current_version FROM submission WHERE id = $1`, [id])).toEqual([
      { status: 'draft', current_version: 0 },
    ]);
    expect(await db.query(`SELECT count(*)::int AS n FROM submission_version WHERE submission_id = $1`, [id])).toEqual([
      { n: 0 },
    ]);
    expect(await db.query(`SELECT count(*)::int AS n FROM idempotency_key WHERE key = 'lost'`)).toEqual([{ n: 0 }]);

    // (b) the workflow took it but the result was never recorded: the row is settled from the workflow's state
    await http().post(`/api/submissions/${id}/submit`).set(user.headers).set(key()).expect(200);
    await db.query(`UPDATE submission SET status = 'submitting' WHERE id = $1`, [id]);
    expect(await reconciler.reconcile(0)).toEqual({ settled: 1, undone: 0, followed: 0 });
    expect(await rowOf(id)).toEqual({ status: 'submitted', decision: null });

    // (c) a row stuck before rows followed the workflow: waived in the workflow, still `submitted` here
    await http()
      .post(`/api/cycles/${cycleId}/units/${unitId}/waive`)
      .set(admin.headers)
      .send({ stepKey: STEP, reason: '撤并' })
      .expect(200);
    await eventually(
      () => rowOf(id),
      (r) => r.status === 'waived',
    );
    await db.query(`UPDATE submission SET status = 'submitted' WHERE id = $1`, [id]);
    expect(await reconciler.reconcile(0)).toEqual({ settled: 0, undone: 0, followed: 1 });
    expect(await rowOf(id)).toEqual({ status: 'waived', decision: null });
  });
});

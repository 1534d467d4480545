import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { unitStatusQuery, type UnitWorkflowStatus } from '../../../workflows/campaign/messages';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import { createTestApi } from '../../support/api';
import { insertUnit, LoggedIn, loginAs } from '../../support/auth';
import {
  completeStudyDraft,
  insertCycle,
  schoolUnitInput,
  startUnitWorkflow,
  submissionTestPlan,
} from '../../support/cycle-fixtures';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { eventually } from '../../support/eventually';
import { createTimeSkippingEnv } from '../../support/time-skipping';
import { createTestWorker, TestWorker } from '../../support/worker';

const TASK_QUEUE = 'submissions-e2e';

/**
 * The review loop end to end: api → unit workflow (time-skipping server, real worker with real activities) →
 * read model and audit log in PostgreSQL. A unit drafts, submits, is returned, resubmits, is accepted, and the unit
 * workflow leaves stage 学习调研.
 */
describe('submission review loop (time-skipping server, real worker)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let api: INestApplication;
  let worker: TestWorker;
  let running: Promise<void>;
  let cycleId: string, unitId: string, workflowId: string;
  let secretary: LoggedIn, reviewer: LoggedIn;
  const http = () => request(api.getHttpServer());
  const status = () => env.client.workflow.getHandle(workflowId).query(unitStatusQuery) as Promise<UnitWorkflowStatus>;
  /** POST …/submit as the unit's secretary; a fresh Idempotency-Key unless a retry passes its own. */
  const submit = (id: string, key = randomUUID()) =>
    http().post(`/api/submissions/${id}/submit`).set(secretary.headers).set('Idempotency-Key', key);
  /** POST …/versions/:version/review as the reviewer, with a fresh Idempotency-Key. */
  const review = (id: string, version: number, body: object) =>
    http()
      .post(`/api/submissions/${id}/versions/${version}/review`)
      .set(reviewer.headers)
      .set('Idempotency-Key', randomUUID())
      .send(body);
  const stepOf = (s: UnitWorkflowStatus, key: string) => s.steps.find((st) => st.key === key)!;
  const count = async (sql: string, params: unknown[] = []) =>
    (await db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n as number;

  beforeAll(async () => {
    [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
    worker = await createTestWorker({
      connection: env.nativeConnection,
      client: env.client,
      databaseUrl: db.url,
      taskQueue: TASK_QUEUE,
    });
    running = worker.worker.run();
    api = await createTestApi({
      databaseUrl: db.url,
      temporal: env.client,
      env: { TEMPORAL_TASK_QUEUE: TASK_QUEUE, ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'att-')) },
    });
    unitId = await insertUnit(api, 'XH-001');
    const plan = submissionTestPlan(await env.currentTimeMs());
    cycleId = await insertCycle(db.dataSource, [unitId], plan);
    workflowId = unitWorkflowId(cycleId, unitId);
    await startUnitWorkflow(env.client, TASK_QUEUE, schoolUnitInput(cycleId, { id: unitId, code: 'XH-001' }, plan));
    [secretary, reviewer] = await Promise.all([
      loginAs(api, 'unit_secretary', unitId),
      loginAs(api, 'office_reviewer'),
    ]);
    await eventually(status, (s) => stepOf(s, 'study-research')?.status === 'open');
  });

  afterAll(async () => {
    await api?.close();
    if (worker?.worker.getState() === 'RUNNING') worker.worker.shutdown();
    await running?.catch(() => undefined);
    await worker?.close();
    await env?.teardown();
    await db?.drop();
  });

  it('completes a step that needs no review with its first submission', async () => {
    const created = await http()
      .post('/api/submissions')
      .set(secretary.headers)
      .set('Idempotency-Key', randomUUID())
      .send({
        cycleId,
        unitId,
        stepKey: 'study-notes',
        deliverables: [{ key: 'notes', kind: 'free_form', text: '学习心得一篇' }],
      })
      .expect(201);
    const res = await submit(created.body.id).expect(200);
    expect(res.body).toMatchObject({
      status: 'accepted',
      currentVersion: 1,
      versions: [{ version: 1, decision: 'accepted', decidedBy: null }],
    });
    expect(stepOf(await status(), 'study-notes').status).toBe('accepted');
    expect((await status()).currentStage).toBe('study'); // the required step still gates the stage
  });

  it('drafts, submits, is returned, resubmits, is accepted — and the unit leaves the stage', async () => {
    // draft + attachment
    const created = await http()
      .post('/api/submissions')
      .set(secretary.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ cycleId, unitId, stepKey: 'study-research', deliverables: [] })
      .expect(201);
    const id = created.body.id as string;
    const file = await http()
      .post(`/api/submissions/${id}/attachments`)
      .set(secretary.headers)
      .set('Idempotency-Key', randomUUID())
      .field('deliverableKey', 'research-report')
      .attach('file', Buffer.from('# 调研报告\n'), { filename: 'report.md', contentType: 'text/markdown' })
      .expect(201);
    const draft = completeStudyDraft();
    (draft.deliverables[0] as { attachmentIds?: string[] }).attachmentIds = [file.body.id];
    await http().put(`/api/submissions/${id}/draft`).set(secretary.headers).send(draft).expect(200);

    // submit (retried once with the same key: one version, one workflow submission)
    const submitKey = randomUUID();
    const submitted = await submit(id, submitKey).expect(200);
    const retried = await submit(id, submitKey).expect(200);
    expect(retried.body).toEqual(submitted.body);
    expect(submitted.body).toMatchObject({ status: 'submitted', currentVersion: 1 });
    const v1 = submitted.body.versions[0];
    expect(v1).toMatchObject({ version: 1, submittedBy: secretary.user.id, decision: null });
    expect(stepOf(await status(), 'study-research')).toMatchObject({ status: 'submitted', lastSubmissionId: v1.id });
    expect(await count('submission_version WHERE submission_id = $1', [id])).toBe(1);

    // a second submit while under review: the workflow refuses → 409 with its reason, nothing written
    const before = [await count('submission_version'), await count('audit_log'), await count('idempotency_key')];
    const again = await submit(id).expect(409);
    expect(again.body.message).toMatch(/already submitted/);
    expect([await count('submission_version'), await count('audit_log'), await count('idempotency_key')]).toEqual(
      before,
    );

    // returned with a comment
    await review(id, 1, { decision: 'return' }).expect(400);
    const returned = await review(id, 1, { decision: 'return', comment: '请补充听取意见的情况' }).expect(200);
    expect(returned.body).toMatchObject({ status: 'returned', currentVersion: 1 });
    expect(returned.body.versions[0]).toMatchObject({
      decision: 'returned',
      decidedBy: reviewer.user.id,
      reviewComment: '请补充听取意见的情况',
    });
    expect(stepOf(await status(), 'study-research').status).toBe('returned');

    // the unit edits and resubmits: version 2
    draft.deliverables[0].text = '# 调研报告\n\n听取意见 12 条，已逐条回应。';
    await http().put(`/api/submissions/${id}/draft`).set(secretary.headers).send(draft).expect(200);
    const resubmitted = await submit(id).expect(200);
    expect(resubmitted.body).toMatchObject({ status: 'submitted', currentVersion: 2 });
    const v2 = resubmitted.body.versions[1];
    expect(stepOf(await status(), 'study-research')).toMatchObject({ status: 'submitted', lastSubmissionId: v2.id });

    // reviewing the old version is refused
    await review(id, 1, { decision: 'accept' }).expect(409);

    // accepted: the step is accepted and the unit leaves stage 'study' for 'rectify'
    const accepted = await review(id, 2, { decision: 'accept' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', currentVersion: 2 });
    const final = await status();
    expect(stepOf(final, 'study-research').status).toBe('accepted');
    expect(final.currentStage).toBe('rectify');

    // every version stays viewable, as submitted
    const old = await http().get(`/api/submissions/${id}/versions/1`).set(secretary.headers).expect(200);
    expect(old.body.content.deliverables[0]).toMatchObject({
      key: 'research-report',
      text: '# 调研报告\n\n听取意见 12 条。',
      attachments: [{ id: file.body.id, sha256: file.body.sha256, fileName: 'report.md' }],
    });
    expect(old.body).toMatchObject({ decision: 'returned', reviewComment: '请补充听取意见的情况' });
    const latest = await http().get(`/api/submissions/${id}/versions/2`).set(reviewer.headers).expect(200);
    expect(latest.body).toMatchObject({
      decision: 'accepted',
      content: { deliverables: [{ text: '# 调研报告\n\n听取意见 12 条，已逐条回应。' }, { key: 'exchange-minutes' }] },
    });

    // the audit log has every step, with who and in which role
    const audit = await db.query(
      `SELECT action, actor_id, actor_roles, before, after FROM audit_log WHERE entity = 'submission' AND entity_id = $1 ORDER BY id`,
      [id],
    );
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ['submission.create', secretary.user.id],
      ['submission.attach', secretary.user.id],
      ['submission.update_draft', secretary.user.id],
      ['submission.submit', secretary.user.id],
      ['submission.return', reviewer.user.id],
      ['submission.update_draft', secretary.user.id],
      ['submission.submit', secretary.user.id],
      ['submission.accept', reviewer.user.id],
    ]);
    expect(audit[4]).toMatchObject({
      actor_roles: ['office_reviewer'],
      before: { status: 'submitted', version: 1 },
      after: { status: 'returned', version: 1, versionId: v1.id, comment: '请补充听取意见的情况' },
    });
    expect(audit[7].after).toEqual({ status: 'accepted', version: 2, versionId: v2.id, comment: null });

    // the workflow's history (read model) agrees, with the actors the api named
    const events = await eventually(
      () =>
        db.query(
          `SELECT kind, step_key, stage_key, actor FROM unit_event WHERE unit_id = $1 AND kind IN ('submitted', 'returned', 'accepted', 'stage_left', 'stage_entered') AND (step_key IS NULL OR step_key = 'study-research') ORDER BY seq`,
          [unitId],
        ),
      (rows) => rows.some((r) => r.kind === 'stage_left'),
    );
    expect(events.map((e) => [e.kind, e.step_key ?? e.stage_key, e.actor])).toEqual([
      ['stage_entered', 'study', expect.any(String)],
      ['submitted', 'study-research', secretary.user.email],
      ['returned', 'study-research', reviewer.user.email],
      ['submitted', 'study-research', secretary.user.email],
      ['accepted', 'study-research', reviewer.user.email],
      ['stage_left', 'study', expect.any(String)],
      ['stage_entered', 'rectify', expect.any(String)],
    ]);
  });

  it('409s a submission for a step that is not open, with the reason, and writes nothing', async () => {
    const created = await http()
      .post('/api/submissions')
      .set(secretary.headers)
      .set('Idempotency-Key', randomUUID())
      .send({
        cycleId,
        unitId,
        stepKey: 'rectification-plan',
        deliverables: [
          {
            key: 'plan',
            kind: 'plan_with_items',
            fields: {
              items: [
                {
                  goal: '提高满意度',
                  project: '家校沟通',
                  deadline: '2026-06-30',
                  measures: '每月开放日',
                  responsible: '校长室',
                },
              ],
            },
          },
        ],
      })
      .expect(201);
    const before = [await count('submission_version'), await count('audit_log'), await count('idempotency_key')];
    const res = await submit(created.body.id).expect(409);
    expect(res.body.message).toMatch(/^the unit's workflow refused: step "rectification-plan" is not open yet/);
    expect([await count('submission_version'), await count('audit_log'), await count('idempotency_key')]).toEqual(
      before,
    );
    expect(await db.query(`SELECT status, current_version FROM submission WHERE id = $1`, [created.body.id])).toEqual([
      { status: 'draft', current_version: 0 },
    ]);
  });

  it('once stage 2 opens (31 days later), the accepted rectification plan is data: counts and items', async () => {
    const opensAt = Date.parse(
      (await db.query(`SELECT plan FROM cycle_plan WHERE cycle_id = $1`, [cycleId]))[0].plan.stages[1].steps[0].opensAt,
    );
    expect(stepOf(await status(), 'rectification-plan').status).toBe('pending');
    await env.sleep(opensAt - (await env.currentTimeMs()) + 1000);
    await eventually(status, (s) => stepOf(s, 'rectification-plan').status === 'open');
    const [draft] = (
      await http().get(`/api/submissions?cycleId=${cycleId}&status=draft`).set(secretary.headers).expect(200)
    ).body;
    expect(draft.stepKey).toBe('rectification-plan');
    await submit(draft.id).expect(200);
    const counts = await http().get(`/api/submissions/counts?cycleId=${cycleId}`).set(reviewer.headers).expect(200);
    expect(counts.body).toEqual([
      { stepKey: 'rectification-plan', draft: 0, submitted: 1, returned: 0, accepted: 0 },
      { stepKey: 'study-notes', draft: 0, submitted: 0, returned: 0, accepted: 1 },
      { stepKey: 'study-research', draft: 0, submitted: 0, returned: 0, accepted: 1 },
    ]);
    expect(
      (await http().get(`/api/submissions/rectification-items?cycleId=${cycleId}`).set(reviewer.headers).expect(200))
        .body,
    ).toEqual([]);
    await review(draft.id, 1, { decision: 'accept' }).expect(200);
    // the accepted plan's item is tracked by the workflow as step rectification-plan#item-1 (read model written a moment later)
    const items = await eventually(
      () => http().get(`/api/submissions/rectification-items?cycleId=${cycleId}`).set(secretary.headers).expect(200),
      (r) => r.body[0]?.itemStatus === 'open',
    );
    expect(items.body).toEqual([
      {
        submissionId: draft.id,
        unitId,
        stepKey: 'rectification-plan',
        version: 1,
        deliverableKey: 'plan',
        itemNo: 1,
        goal: '提高满意度',
        project: '家校沟通',
        deadline: '2026-06-30',
        measures: '每月开放日',
        responsible: '校长室',
        itemStepKey: 'rectification-plan#item-1',
        itemStatus: 'open',
        itemDueAt: '2026-06-30T15:59:59.000Z',
      },
    ]);
    await http().get(`/api/submissions/counts`).set(reviewer.headers).expect(400);
  });
});

import request from 'supertest';
import { createTestApi } from '../../support/api';
import { loginAs, type LoggedIn } from '../../support/auth';
import { cycleWorkflowId, unitWorkflowId } from '../../../workflows/campaign/types';
import { startCycleStack } from './cycles.fixture';
import type { TestStack } from '../../support/test-stack';
import { DAY } from '../../support/time';
import { eventually } from '../../support/eventually';

const TASK_QUEUE = 'cycles-api';

/** The cycles api on a real time-skipping Temporal server with the real worker, on real PostgreSQL. */
describe('cycles api (time-skipping Temporal, real worker, real PostgreSQL)', () => {
  let stack: TestStack;
  let t0: number;
  let cycleId: string;
  const unitId: Record<string, string> = {};
  // The office (office_admin) starts, steers and reads; the role boundaries have their own test below.
  const http = () => stack.asOffice();
  const anonymous = () => request(stack.api.getHttpServer());
  const count = async (sql: string, params: unknown[] = []) =>
    (await stack.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n as number;
  const startBody = () => ({
    templateKey: 'it-two-stage',
    name: '2026 学习实践活动',
    startsAt: new Date(t0).toISOString(),
    units: { subtreeOf: 'xh-gb1', kinds: ['school', 'kindergarten'] },
  });

  beforeAll(async () => {
    stack = await startCycleStack(TASK_QUEUE);
    for (const u of await stack.db.query('SELECT id, code FROM unit')) unitId[u.code] = u.id;
    t0 = Math.floor((await stack.env.currentTimeMs()) / 1000) * 1000;
  });

  afterAll(() => stack?.close());

  it('rejects bad start requests with every field named, and records nothing', async () => {
    const bad = async (body: object, fields: Record<string, string | RegExp>) => {
      const res = await http().post('/api/cycles').send(body).expect(400);
      expect(res.body.error).toBe('VALIDATION_FAILED');
      const got = Object.fromEntries(
        res.body.details.map((d: { field: string; problem: string }) => [d.field, d.problem]),
      );
      expect(Object.keys(got).sort()).toEqual(Object.keys(fields).sort());
      for (const [f, p] of Object.entries(fields))
        expect(got[f]).toEqual(typeof p === 'string' ? p : expect.stringMatching(p));
    };
    await bad({ ...startBody(), templateKey: 'nope' }, { templateKey: 'no template "nope"' });
    await bad(
      { ...startBody(), templateVersion: 7 },
      { templateVersion: 'template "it-two-stage" has no version 7 (latest is 1)' },
    );
    await bad({ ...startBody(), startsAt: 'next monday' }, { startsAt: /^must be an ISO date/ });
    await bad({ ...startBody(), startsAt: '2026-02-30' }, { startsAt: /^not a valid date/ });
    await bad(
      {
        ...startBody(),
        units: { codes: ['xh-s01', 'ghost-1', 'ghost-2'], ids: ['00000000-0000-4000-8000-000000000000'] },
      },
      {
        'units.codes': 'unknown unit codes: ghost-1, ghost-2',
        'units.ids': 'unknown unit ids: 00000000-0000-4000-8000-000000000000',
      },
    );
    await bad(
      { ...startBody(), units: { subtreeOf: 'xh-gb1', kinds: ['university'] } },
      { units: 'no unit matches (kinds: university)' },
    );
    await bad({ ...startBody(), units: {} }, { units: 'give ids, codes, subtreeOf or all: true' });
    await bad(
      { ...startBody(), units: { kinds: ['castle'] }, name: '', extra: 1 },
      { name: /must be longer/, extra: /should not exist/, 'units.kinds': /^each kind must be one of/ },
    );
    expect(await count('campaign_cycle')).toBe(0);
    expect(await count('cycle_unit')).toBe(0);
  });

  it('starts a cycle: one transaction of cycle, plans and units, then every unit workflow', async () => {
    const res = await http().post('/api/cycles').send(startBody()).expect(201);
    cycleId = res.body.id;
    expect(res.body).toMatchObject({
      name: '2026 学习实践活动',
      templateKey: 'it-two-stage',
      templateVersion: 1,
      timeZone: 'Asia/Shanghai',
      unitCount: 3,
      workflowId: cycleWorkflowId(cycleId),
      createdBy: stack.office.user.email,
      startsAt: new Date(t0).toISOString(),
    });
    expect(res.body.plans.map((p: { unitKind: string; units: number }) => [p.unitKind, p.units])).toEqual([
      ['kindergarten', 1],
      ['school', 2],
    ]);
    expect(res.body.plans[1].stages.map((s: { key: string }) => s.key)).toEqual(['study', 'analysis']);
    expect(res.body.plans[1].stages[0].steps[0]).toMatchObject({
      key: 'study-record',
      dueAt: new Date(t0 + 10 * DAY).toISOString(),
    });

    // Ordinals 0..n-1 in unit-code order; workflow ids derived from cycle and unit.
    expect(
      await stack.db.query(
        'SELECT cu.ordinal, u.code, cu.unit_kind, cu.workflow_id FROM cycle_unit cu JOIN unit u ON u.id = cu.unit_id WHERE cycle_id = $1 ORDER BY ordinal',
        [cycleId],
      ),
    ).toEqual([
      { ordinal: 0, code: 'xh-k01', unit_kind: 'kindergarten', workflow_id: unitWorkflowId(cycleId, unitId['xh-k01']) },
      { ordinal: 1, code: 'xh-s01', unit_kind: 'school', workflow_id: unitWorkflowId(cycleId, unitId['xh-s01']) },
      { ordinal: 2, code: 'xh-s02', unit_kind: 'school', workflow_id: unitWorkflowId(cycleId, unitId['xh-s02']) },
    ]);
    const progress = await eventually(
      async () => (await http().get(`/api/cycles/${cycleId}/progress`).expect(200)).body,
      (p) => p.units.started === 3 && p.status === 'running' && p.steps[0]?.byStatus.open === 3,
    );
    expect(progress).toMatchObject({
      unitCount: 3,
      units: { started: 3, byStatus: { running: 3 } },
      overdue: { total: 0, items: [] },
      bulletin: [],
    });
    expect(progress.steps).toEqual([
      { stepKey: 'study-record', stageKey: 'study', title: '学习交流记录', total: 3, byStatus: { open: 3 } },
      { stepKey: 'analysis-report', stageKey: 'analysis', title: '分析检查报告', total: 3, byStatus: { pending: 3 } },
    ]);
    expect(progress.stages).toEqual([
      { stageKey: 'study', unitsInStage: 3, steps: { open: 3 } },
      { stageKey: 'analysis', unitsInStage: 0, steps: { pending: 3 } },
    ]);
    for (const code of ['xh-k01', 'xh-s01', 'xh-s02']) {
      const d = await stack.env.client.workflow.getHandle(unitWorkflowId(cycleId, unitId[code])).describe();
      expect(d.status.name).toBe('RUNNING');
    }
    expect((await http().get('/api/cycles').expect(200)).body.map((c: { id: string }) => c.id)).toEqual([cycleId]);
    // The start is in the audit log under the signed-in admin.
    expect(
      await stack.db.query(
        `SELECT actor_email, actor_roles, entity, entity_id FROM audit_log WHERE action = 'cycle.start'`,
      ),
    ).toEqual([
      { actor_email: stack.office.user.email, actor_roles: ['office_admin'], entity: 'cycle', entity_id: cycleId },
    ]);
  });

  it('role boundaries: unit roles read only their units, auditors read but do not steer, no token is 401', async () => {
    const as = (who: LoggedIn) => request.agent(stack.api.getHttpServer()).set(who.headers);
    const s01 = await loginAs(stack.api, 'unit_secretary', unitId['xh-s01']);
    const gb1 = await loginAs(stack.api, 'unit_secretary', unitId['xh-gb1']);
    const submitter = await loginAs(stack.api, 'unit_submitter', unitId['xh-s01']);
    const auditor = await loginAs(stack.api, 'auditor');
    const reviewer = await loginAs(stack.api, 'office_reviewer');
    const extend = { stepKey: 'study-record', newDueAt: new Date(t0 + 12 * DAY).toISOString(), reason: 'x' };

    // A unit secretary: its own unit's page, not a sibling's; a 党总支 secretary: its whole subtree.
    expect((await as(s01).get(`/api/cycles/${cycleId}/units/xh-s01`).expect(200)).body.unitCode).toBe('xh-s01');
    expect((await as(s01).get(`/api/cycles/${cycleId}/units/xh-s02`).expect(403)).body.error).toBe('FORBIDDEN');
    await as(submitter).get(`/api/cycles/${cycleId}/units/${unitId['xh-k01']}`).expect(403);
    expect((await as(gb1).get(`/api/cycles/${cycleId}/units/xh-s02`).expect(200)).body.unitCode).toBe('xh-s02');
    await as(gb1).get(`/api/cycles/${cycleId}/units/xh-k01`).expect(200);
    await as(s01).get(`/api/cycles/00000000-0000-4000-8000-000000000000/units/xh-s01`).expect(404);
    // ... and no office views of the cycle, no start, no steering.
    for (const who of [s01, gb1, submitter]) {
      await as(who).get('/api/cycles').expect(403);
      await as(who).get(`/api/cycles/${cycleId}/progress`).expect(403);
      await as(who).post('/api/cycles').send(startBody()).expect(403);
      await as(who).post(`/api/cycles/${cycleId}/units/xh-s01/extend`).send(extend).expect(403);
      await as(who).post(`/api/cycles/${cycleId}/extend`).send(extend).expect(403);
      await as(who)
        .post(`/api/cycles/${cycleId}/units/xh-s01/waive`)
        .send({ stepKey: 'study-record', reason: 'x' })
        .expect(403);
      await as(who).post(`/api/cycles/${cycleId}/units/xh-s01/steps/study-record/submit`).send({}).expect(403);
      await as(who)
        .post(`/api/cycles/${cycleId}/units/xh-s01/steps/study-record/review`)
        .send({ decision: 'accept' })
        .expect(403);
      await as(who).post(`/api/cycles/${cycleId}/pause`).send({}).expect(403);
    }
    // An auditor reads everything and steers nothing.
    expect((await as(auditor).get(`/api/cycles/${cycleId}/progress`).expect(200)).body.unitCount).toBe(3);
    expect((await as(auditor).get('/api/cycles').expect(200)).body).toHaveLength(1);
    await as(auditor).get(`/api/cycles/${cycleId}`).expect(200);
    await as(auditor).get(`/api/cycles/${cycleId}/units/xh-s02`).expect(200);
    await as(auditor).post('/api/cycles').send(startBody()).expect(403);
    await as(auditor).post(`/api/cycles/${cycleId}/units/xh-s01/extend`).send(extend).expect(403);
    await as(auditor).post(`/api/cycles/${cycleId}/pause`).send({}).expect(403);
    await as(auditor).post(`/api/cycles/${cycleId}/cancel`).send({}).expect(403);
    // A reviewer may move deadlines (tested below with the admin) but not start or stop a cycle or drive a step.
    await as(reviewer).post('/api/cycles').send(startBody()).expect(403);
    await as(reviewer).post(`/api/cycles/${cycleId}/pause`).send({}).expect(403);
    await as(reviewer).post(`/api/cycles/${cycleId}/units/xh-s01/steps/study-record/submit`).send({}).expect(403);
    // No token: 401 everywhere.
    await anonymous().get('/api/cycles').expect(401);
    await anonymous().get(`/api/cycles/${cycleId}/units/xh-s01`).expect(401);
    await anonymous().post(`/api/cycles/${cycleId}/pause`).send({}).expect(401);

    // Nothing was changed by the refused requests.
    expect(await count('campaign_cycle')).toBe(1);
    expect((await stack.db.query('SELECT status FROM campaign_cycle WHERE id = $1', [cycleId]))[0].status).toBe(
      'running',
    );
    expect(
      await count(`unit_step_status WHERE cycle_id = $1 AND status = 'open' AND due_at = $2`, [
        cycleId,
        new Date(t0 + 10 * DAY),
      ]),
    ).toBe(3);
  });

  it('the same request again returns the same cycle (200) and starts nothing twice', async () => {
    const again = await http().post('/api/cycles').send(startBody()).expect(200);
    expect(again.body.id).toBe(cycleId);
    expect(await count('campaign_cycle')).toBe(1);
    expect(await count('cycle_unit')).toBe(3);
    expect(await count(`unit_event WHERE kind = 'started'`)).toBe(3);

    // With an Idempotency-Key: first request creates, the retry finds it; reusing the key for another request is a conflict.
    const body = { ...startBody(), name: '按键幂等', units: { codes: ['xh-u01'] } };
    const first = await http().post('/api/cycles').set('Idempotency-Key', 'req-42').send(body).expect(201);
    const second = await http().post('/api/cycles').set('Idempotency-Key', 'req-42').send(body).expect(200);
    expect(second.body.id).toBe(first.body.id);
    const reused = await http()
      .post('/api/cycles')
      .set('Idempotency-Key', 'req-42')
      .send({ ...body, name: '别的' })
      .expect(422);
    expect(reused.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: [{ field: 'name' }] });
    // the whole canonical request is compared: another unit selection or start date is refused, naming it
    const otherUnits = await http()
      .post('/api/cycles')
      .set('Idempotency-Key', 'req-42')
      .send({ ...body, units: { codes: ['xh-u02'] } })
      .expect(422);
    expect(otherUnits.body.details).toEqual([
      {
        field: 'units.codes',
        problem: `differs from the request that started cycle ${first.body.id} with this Idempotency-Key`,
      },
    ]);
    const otherStart = await http()
      .post('/api/cycles')
      .set('Idempotency-Key', 'req-42')
      .send({ ...body, startsAt: '2031-01-01' })
      .expect(422);
    expect(otherStart.body.details.map((d: { field: string }) => d.field)).toEqual(['startsAt']);
    // the same request with its keys in another order is the same request
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    expect(
      (await http().post('/api/cycles').set('Idempotency-Key', 'req-42').send(reordered).expect(200)).body.id,
    ).toBe(first.body.id);
    expect(await count('campaign_cycle')).toBe(2);
    expect(await count('cycle_unit WHERE cycle_id = $1', [first.body.id])).toBe(1);
    await http().post(`/api/cycles/${first.body.id}/cancel`).send({ reason: '测试完毕' }).expect(200);
  });

  it('reads a bare start date as 00:00 in the template time zone', async () => {
    const res = await http()
      .post('/api/cycles')
      .send({ ...startBody(), name: '按日期开始', startsAt: '2027-03-01', units: { codes: ['xh-u01'] } })
      .expect(201);
    expect(res.body.startsAt).toBe('2027-02-28T16:00:00.000Z'); // Asia/Shanghai is UTC+8
    expect(res.body.plans[0].stages[0].steps[0].dueAt).toBe('2027-03-10T16:00:00.000Z');
    await http().post(`/api/cycles/${res.body.id}/cancel`).send({}).expect(200);
  });

  it('a failed workflow start (refusal simulated at the client edge) is retried by repeating the request; nothing is duplicated', async () => {
    let failures = 1;
    const workflow = Object.create(stack.env.client.workflow, {
      start: {
        value: (type: string, opts: any) =>
          failures-- > 0
            ? Promise.reject(new Error('simulated: frontend unavailable'))
            : stack.env.client.workflow.start(type, opts),
      },
    });
    // This second api shares the test server's connection: closing the app must not close it.
    const connection = Object.create(stack.env.client.connection, { close: { value: async () => undefined } });
    const client = Object.create(stack.env.client, {
      workflow: { value: workflow },
      connection: { value: connection },
    });
    const flaky = await createTestApi({
      databaseUrl: stack.db.url,
      temporal: client,
      env: { TEMPORAL_TASK_QUEUE: TASK_QUEUE },
    });
    try {
      const flakyOffice = await loginAs(flaky, 'office_admin'); // its own JWT secret (random per app in tests)
      const body = { ...startBody(), name: '重试', units: { codes: ['xh-u01'] } };
      const first = await request
        .agent(flaky.getHttpServer())
        .set(flakyOffice.headers)
        .post('/api/cycles')
        .set('Idempotency-Key', 'retry-1')
        .send(body)
        .expect(503);
      expect(first.body.message).toMatch(
        /could not be started \(simulated: frontend unavailable\); repeat the same request/,
      );
      const [row] = await stack.db.query(`SELECT id, status FROM campaign_cycle WHERE request_key = 'key:retry-1'`);
      expect(row.status).toBe('starting');
      await expect(stack.env.client.workflow.getHandle(cycleWorkflowId(row.id)).describe()).rejects.toThrow(
        /not found/i,
      );

      const retry = await request
        .agent(flaky.getHttpServer())
        .set(flakyOffice.headers)
        .post('/api/cycles')
        .set('Idempotency-Key', 'retry-1')
        .send(body)
        .expect(200);
      expect(retry.body.id).toBe(row.id);
      await eventually(
        () => stack.db.query('SELECT status FROM cycle_unit WHERE cycle_id = $1', [row.id]),
        (r: any[]) => r.length === 1 && r[0].status === 'running',
      );
      expect(await count(`campaign_cycle WHERE request_key = 'key:retry-1'`)).toBe(1);
      await eventually(
        () => count(`unit_event WHERE cycle_id = $1 AND kind = 'started'`, [row.id]),
        (n) => n === 1,
      );
      expect((await stack.env.client.workflow.getHandle(cycleWorkflowId(row.id)).describe()).status.name).toBe(
        'RUNNING',
      );
      await request
        .agent(flaky.getHttpServer())
        .set(flakyOffice.headers)
        .post(`/api/cycles/${row.id}/cancel`)
        .send({})
        .expect(200);
    } finally {
      await flaky.close();
    }
  });

  it('drives a step: submit, return, resubmit, accept — progress and history follow', async () => {
    const base = `/api/cycles/${cycleId}/units/xh-s01`;
    const submitted = await http()
      .post(`${base}/steps/study-record/submit`)
      .send({ submissionId: 'sub-1' })
      .expect(200);
    expect(submitted.body).toMatchObject({ key: 'study-record', status: 'submitted', lastSubmissionId: 'sub-1' });
    const returned = await http()
      .post(`${base}/steps/study-record/review`)
      .send({ decision: 'return', comment: '缺少调研报告' })
      .expect(200);
    expect(returned.body.status).toBe('returned');
    await http().post(`${base}/steps/study-record/submit`).send({ submissionId: 'sub-2' }).expect(200);
    const accepted = await http().post(`${base}/steps/study-record/review`).send({ decision: 'accept' }).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', lastSubmissionId: 'sub-2' });

    // Refusals carry the workflow's reason; unknown cycle/unit is 404.
    const again = await http().post(`${base}/steps/study-record/submit`).send({}).expect(409);
    expect(again.body.message).toMatch(/study-record|学习交流记录/);
    await http().post(`${base}/steps/no-such-step/submit`).send({}).expect(409);
    await http().post(`/api/cycles/${cycleId}/units/xh-u01/steps/study-record/submit`).send({}).expect(404);
    await http()
      .post(`/api/cycles/00000000-0000-4000-8000-000000000000/units/xh-s01/steps/study-record/submit`)
      .send({})
      .expect(404);
    await http().post(`${base}/steps/study-record/review`).send({ decision: 'maybe' }).expect(400);

    const progress = await eventually(
      async () => (await http().get(`/api/cycles/${cycleId}/progress`).expect(200)).body,
      (p) => p.steps[0].byStatus.accepted === 1,
    );
    expect(progress.steps[0]).toEqual({
      stepKey: 'study-record',
      stageKey: 'study',
      title: '学习交流记录',
      total: 3,
      byStatus: { open: 2, accepted: 1 },
    });

    const detail = (await http().get(`/api/cycles/${cycleId}/units/${unitId['xh-s01']}`).expect(200)).body;
    expect(detail).toMatchObject({
      unitCode: 'xh-s01',
      unitName: '徐汇中学党支部',
      status: 'running',
      workflowId: unitWorkflowId(cycleId, unitId['xh-s01']),
    });
    const described = await stack.env.client.workflow.getHandle(detail.workflowId).describe();
    expect(detail.workflow).toMatchObject({
      workflowId: detail.workflowId,
      runId: described.runId,
      status: 'RUNNING',
      namespace: 'default',
    });
    expect(detail.workflow.temporalUiPath).toBe(
      `/namespaces/default/workflows/${encodeURIComponent(detail.workflowId)}/${described.runId}/history`,
    );
    expect(detail.steps.map((s: { stepKey: string; status: string }) => [s.stepKey, s.status])).toEqual([
      ['study-record', 'accepted'],
      ['analysis-report', 'pending'],
    ]);
    const kinds = detail.history.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => ['submitted', 'returned', 'accepted'].includes(k))).toEqual([
      'submitted',
      'returned',
      'submitted',
      'accepted',
    ]);
    expect(detail.history.map((e: { seq: number }) => e.seq)).toEqual(
      [...detail.history.map((e: { seq: number }) => e.seq)].sort((a, b) => a - b),
    );
    const ret = detail.history.find((e: { kind: string }) => e.kind === 'returned');
    // The drive tool records the signed-in admin as the actor (no client-supplied actor header any more).
    expect(ret).toMatchObject({
      actor: stack.office.user.email,
      stepKey: 'study-record',
      summary: expect.stringContaining('缺少调研报告'),
    });
    expect(detail.history.find((e: { kind: string }) => e.kind === 'submitted').actor).toBe(stack.office.user.email);
    // By code too.
    expect((await http().get(`/api/cycles/${cycleId}/units/xh-s01`).expect(200)).body.unitId).toBe(unitId['xh-s01']);
    await http().get(`/api/cycles/${cycleId}/units/xh-u01`).expect(404);
  });

  it('lists overdue steps as of a given instant, with unit and whole days overdue', async () => {
    const asOf = new Date(t0 + 13 * DAY + 5 * 3_600_000).toISOString();
    const p = (
      await http()
        .get(`/api/cycles/${cycleId}/progress?asOf=${encodeURIComponent(asOf)}`)
        .expect(200)
    ).body;
    expect(p.overdue.total).toBe(2);
    expect(
      p.overdue.items.map((o: any) => [o.unitCode, o.unitName, o.stepKey, o.status, o.daysOverdue, o.dueAt]),
    ).toEqual([
      ['xh-k01', '第一幼儿园党支部', 'study-record', 'open', 3, new Date(t0 + 10 * DAY).toISOString()],
      ['xh-s02', '第二中学党支部', 'study-record', 'open', 3, new Date(t0 + 10 * DAY).toISOString()],
    ]);
  });

  it('extends one unit, then every unit; the read model follows', async () => {
    const oneDue = new Date(t0 + 15 * DAY).toISOString();
    const one = await http()
      .post(`/api/cycles/${cycleId}/units/xh-k01/extend`)
      .send({ stepKey: 'study-record', newDueAt: oneDue, reason: '园所搬迁' })
      .expect(200);
    expect(one.body).toMatchObject({
      key: 'study-record',
      dueAt: oneDue,
      originalDueAt: new Date(t0 + 10 * DAY).toISOString(),
    });
    await http()
      .post(`/api/cycles/${cycleId}/units/xh-k01/extend`)
      .send({ stepKey: 'study-record', newDueAt: 'soon', reason: 'x' })
      .expect(400);

    const allDue = new Date(t0 + 20 * DAY).toISOString();
    const all = await http()
      .post(`/api/cycles/${cycleId}/extend`)
      .send({ stepKey: 'study-record', newDueAt: allDue, reason: '暑期顺延' })
      .expect(202);
    expect(all.body).toEqual({ cycleId, stepKey: 'study-record', newDueAt: allDue, accepted: true });
    const bad = await http()
      .post(`/api/cycles/${cycleId}/extend`)
      .send({ stepKey: 'ghost', newDueAt: allDue, reason: 'x' })
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'stepKey', problem: `no step "ghost" in the cycle's plans` }]);

    const rows = await eventually(
      () =>
        stack.db.query(
          `SELECT u.code, s.status, s.due_at FROM unit_step_status s JOIN unit u ON u.id = s.unit_id WHERE s.cycle_id = $1 AND s.step_key = 'study-record' ORDER BY u.code`,
          [cycleId],
        ),
      (r: any[]) => r.filter((x) => x.status === 'open').every((x) => x.due_at.toISOString() === allDue),
    );
    // The accepted step is decided: a cycle-wide extension does not touch it.
    expect(rows.map((r: any) => [r.code, r.status, r.due_at.toISOString()])).toEqual([
      ['xh-k01', 'open', allDue],
      ['xh-s01', 'accepted', new Date(t0 + 10 * DAY).toISOString()],
      ['xh-s02', 'open', allDue],
    ]);
  });

  it('waives a step for one unit', async () => {
    const res = await http()
      .post(`/api/cycles/${cycleId}/units/xh-s02/waive`)
      .send({ stepKey: 'study-record', reason: '该支部已撤并' })
      .expect(200);
    expect(res.body).toMatchObject({ key: 'study-record', status: 'waived' });
    await http().post(`/api/cycles/${cycleId}/units/xh-s02/waive`).send({ stepKey: 'study-record' }).expect(400);
  });

  it('pauses, resumes and cancels the cycle: campaign_cycle.status and every unit follow', async () => {
    const unitStatuses = () =>
      stack.db
        .query(`SELECT status FROM cycle_unit WHERE cycle_id = $1`, [cycleId])
        .then((r) => r.map((x: any) => x.status).sort());
    const cycleStatus = async () =>
      (await stack.db.query('SELECT status FROM campaign_cycle WHERE id = $1', [cycleId]))[0].status;

    expect(
      (await http().post(`/api/cycles/${cycleId}/pause`).send({ reason: '上级通知暂停' }).expect(200)).body.status,
    ).toBe('paused');
    expect(await cycleStatus()).toBe('paused');
    await eventually(unitStatuses, (s) => s.join() === 'paused,paused,paused');
    await http().post(`/api/cycles/${cycleId}/pause`).send({}).expect(409);

    expect((await http().post(`/api/cycles/${cycleId}/resume`).send({}).expect(200)).body.status).toBe('running');
    await eventually(unitStatuses, (s) => s.join() === 'running,running,running');
    expect(await cycleStatus()).toBe('running');

    expect(
      (await http().post(`/api/cycles/${cycleId}/cancel`).send({ reason: '活动取消' }).expect(200)).body.status,
    ).toBe('cancelled');
    await eventually(unitStatuses, (s) => s.join() === 'cancelled,cancelled,cancelled');
    await eventually(cycleStatus, (s) => s === 'cancelled');
    const steps = await eventually(
      () =>
        stack.db.query(
          `SELECT status, count(*)::int AS n FROM unit_step_status WHERE cycle_id = $1 GROUP BY status ORDER BY status`,
          [cycleId],
        ),
      (r: any[]) => !r.some((x) => ['open', 'pending'].includes(x.status)),
    );
    expect(steps).toEqual([
      { status: 'accepted', n: 1 },
      { status: 'cancelled', n: 4 },
      { status: 'waived', n: 1 },
    ]);
    const hist = (await http().get(`/api/cycles/${cycleId}/units/xh-k01`).expect(200)).body.history.map(
      (e: any) => e.kind,
    );
    expect(hist.slice(-3)).toEqual(['paused', 'resumed', 'cancelled']);
    await http().post(`/api/cycles/${cycleId}/resume`).send({}).expect(409);
    await http().post(`/api/cycles/${cycleId}/units/xh-k01/steps/study-record/submit`).send({}).expect(409);
  });
});

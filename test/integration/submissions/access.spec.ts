import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { LoggedIn, twoBranchesWithAccounts } from '../../support/auth';
import { completeStudyDraft, insertCycle } from '../../support/cycle-fixtures';
import { useTestApi } from '../../support/test-stack';

/** Unit-scoped access to drafts and submissions: every role boundary, over HTTP, with row counts. */
describe('submissions: who may read and write', () => {
  const stack = useTestApi({ env: { ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'att-')) } });
  let cycleId: string;
  let unitA: string, unitB: string;
  let secA: LoggedIn,
    subA: LoggedIn,
    secB: LoggedIn,
    secParent: LoggedIn,
    auditor: LoggedIn,
    reviewer: LoggedIn,
    admin: LoggedIn;
  let draftA: string;
  const http = () => request(stack.api.getHttpServer());
  const key = () => randomUUID();
  const count = async (table: string) =>
    (await stack.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n as number;

  beforeAll(async () => {
    ({ unitA, unitB, secA, subA, secB, secParent, reviewer, admin, auditor } = await twoBranchesWithAccounts(
      stack.api,
      { parent: 'P-总支', a: 'A-支部', b: 'B-支部' },
    ));
    cycleId = await insertCycle(stack.db.dataSource, [unitA, unitB]);
    const res = await http()
      .post('/api/submissions')
      .set(subA.headers)
      .set('Idempotency-Key', key())
      .send({ cycleId, unitId: unitA, stepKey: 'study-research', ...completeStudyDraft() })
      .expect(201);
    draftA = res.body.id;
    expect(res.body).toMatchObject({
      status: 'draft',
      unitId: unitA,
      currentVersion: 0,
      createdBy: subA.user.id,
      versions: [],
    });
  });

  it('401s without a token and with a bad token', async () => {
    await http().get(`/api/submissions/${draftA}`).expect(401);
    await http().get(`/api/submissions/${draftA}`).set('Authorization', 'Bearer abc.def.ghi').expect(401);
    await http()
      .post('/api/submissions')
      .set('Idempotency-Key', key())
      .send({ cycleId, unitId: unitA, stepKey: 'study-research', deliverables: [] })
      .expect(401);
    await http()
      .put(`/api/submissions/${draftA}/draft`)
      .set('Authorization', 'Bearer x')
      .send({ deliverables: [] })
      .expect(401);
  });

  it("lets the unit's own accounts read and edit its draft", async () => {
    await http().get(`/api/submissions/${draftA}`).set(secA.headers).expect(200);
    const res = await http()
      .put(`/api/submissions/${draftA}/draft`)
      .set(secA.headers)
      .send(completeStudyDraft())
      .expect(200);
    expect(res.body.draft.deliverables).toHaveLength(2);
  });

  it("403s unit B reading or writing unit A's draft, and unit B drafting for unit A", async () => {
    const before = [await count('submission'), await count('audit_log')];
    const read = await http().get(`/api/submissions/${draftA}`).set(secB.headers).expect(403);
    expect(read.body.error).toBe('FORBIDDEN');
    await http().put(`/api/submissions/${draftA}/draft`).set(secB.headers).send({ deliverables: [] }).expect(403);
    await http().post(`/api/submissions/${draftA}/submit`).set(secB.headers).set('Idempotency-Key', key()).expect(403);
    await http()
      .post('/api/submissions')
      .set(secB.headers)
      .set('Idempotency-Key', key())
      .send({ cycleId, unitId: unitA, stepKey: 'study-research', deliverables: [] })
      .expect(403);
    await http()
      .post(`/api/submissions/${draftA}/attachments`)
      .set(secB.headers)
      .set('Idempotency-Key', key())
      .field('deliverableKey', 'research-report')
      .attach('file', Buffer.from('hello'), { filename: 'a.txt', contentType: 'text/plain' })
      .expect(403);
    expect([await count('submission'), await count('audit_log')]).toEqual(before);
    const listB = await http().get(`/api/submissions?cycleId=${cycleId}`).set(secB.headers).expect(200);
    expect(listB.body).toEqual([]);
  });

  it("lets the parent unit's secretary read its child's draft but not write it", async () => {
    const read = await http().get(`/api/submissions/${draftA}`).set(secParent.headers).expect(200);
    expect(read.body.id).toBe(draftA);
    const list = await http().get(`/api/submissions?cycleId=${cycleId}`).set(secParent.headers).expect(200);
    expect(list.body.map((s: { id: string }) => s.id)).toEqual([draftA]);
    const before = await stack.db.query(`SELECT draft FROM submission WHERE id = $1`, [draftA]);
    await http().put(`/api/submissions/${draftA}/draft`).set(secParent.headers).send({ deliverables: [] }).expect(403);
    await http()
      .post(`/api/submissions/${draftA}/submit`)
      .set(secParent.headers)
      .set('Idempotency-Key', key())
      .expect(403);
    expect(await stack.db.query(`SELECT draft FROM submission WHERE id = $1`, [draftA])).toEqual(before);
  });

  it('counts only what the caller may read', async () => {
    const counts = (who: LoggedIn) =>
      http()
        .get(`/api/submissions/counts?cycleId=${cycleId}`)
        .set(who.headers)
        .expect(200)
        .then((r) => r.body);
    const one = [{ stepKey: 'study-research', draft: 1, submitted: 0, returned: 0, accepted: 0 }];
    expect(await counts(secB)).toEqual([]);
    expect(await counts(secParent)).toEqual(one);
    expect(await counts(subA)).toEqual(one);
    expect(await counts(auditor)).toEqual(one);
  });

  it('lets an auditor read everything and write nothing', async () => {
    await http().get(`/api/submissions/${draftA}`).set(auditor.headers).expect(200);
    expect((await http().get('/api/submissions').set(auditor.headers).expect(200)).body).toHaveLength(1);
    const before = [await count('submission'), await count('submission_version'), await count('audit_log')];
    await http().put(`/api/submissions/${draftA}/draft`).set(auditor.headers).send({ deliverables: [] }).expect(403);
    await http()
      .post(`/api/submissions/${draftA}/submit`)
      .set(auditor.headers)
      .set('Idempotency-Key', key())
      .expect(403);
    await http()
      .post(`/api/submissions/${draftA}/versions/1/review`)
      .set(auditor.headers)
      .set('Idempotency-Key', key())
      .send({ decision: 'accept' })
      .expect(403);
    await http()
      .post('/api/submissions')
      .set(auditor.headers)
      .set('Idempotency-Key', key())
      .send({ cycleId, unitId: unitB, stepKey: 'study-research', deliverables: [] })
      .expect(403);
    expect([await count('submission'), await count('submission_version'), await count('audit_log')]).toEqual(before);
  });

  it('lets only the office review: units (even their own) and parents get 403', async () => {
    for (const who of [secA, subA, secParent]) {
      const res = await http()
        .post(`/api/submissions/${draftA}/versions/1/review`)
        .set(who.headers)
        .set('Idempotency-Key', key())
        .send({ decision: 'accept' })
        .expect(403);
      expect(res.body.message).toBe('requires one of the roles: office_reviewer, office_admin');
    }
    // an office reviewer passes the role check; version 1 does not exist yet
    await http()
      .post(`/api/submissions/${draftA}/versions/1/review`)
      .set(reviewer.headers)
      .set('Idempotency-Key', key())
      .send({ decision: 'accept' })
      .expect(404);
  });

  it('does not let an office reviewer draft (the unit writes; the office reviews)', async () => {
    await http()
      .post('/api/submissions')
      .set(reviewer.headers)
      .set('Idempotency-Key', key())
      .send({ cycleId, unitId: unitB, stepKey: 'study-research', deliverables: [] })
      .expect(403);
    await http().get(`/api/submissions/${draftA}`).set(reviewer.headers).expect(200);
    await http().get(`/api/submissions/${draftA}`).set(admin.headers).expect(200);
  });

  it('audits each write with actor, role, entity and IP', async () => {
    const rows = await stack.db.query(
      `SELECT actor_id, actor_roles, action, entity, entity_id, ip, before IS NOT NULL AS has_before, after IS NOT NULL AS has_after FROM audit_log WHERE entity = 'submission' ORDER BY id`,
    );
    expect(rows).toEqual([
      {
        actor_id: subA.user.id,
        actor_roles: ['unit_submitter'],
        action: 'submission.create',
        entity: 'submission',
        entity_id: draftA,
        ip: expect.stringMatching(/127\.0\.0\.1/),
        has_before: false,
        has_after: true,
      },
      {
        actor_id: secA.user.id,
        actor_roles: ['unit_secretary'],
        action: 'submission.update_draft',
        entity: 'submission',
        entity_id: draftA,
        ip: expect.stringMatching(/127\.0\.0\.1/),
        has_before: true,
        has_after: true,
      },
    ]);
  });

  it('documents every submissions, evaluations, auth and audit endpoint in OpenAPI, with bearer auth and Idempotency-Key', async () => {
    const doc = (await http().get('/docs/openapi.json').expect(200)).body;
    const ops = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([m, op]) => ({ path, m, op })),
    );
    const mine = ops.filter((o) => /^\/api\/(submissions|evaluations|auth|users|audit-log)/.test(o.path));
    expect(mine.map((o) => `${o.m.toUpperCase()} ${o.path}`).sort()).toEqual(
      [
        'GET /api/audit-log',
        'GET /api/auth/me',
        'GET /api/auth/session',
        'GET /api/evaluations',
        'GET /api/evaluations/{id}/pending',
        'GET /api/evaluations/{id}/results',
        'GET /api/submissions',
        'GET /api/submissions/counts',
        'GET /api/submissions/rectification-items',
        'GET /api/submissions/review-queue',
        'GET /api/submissions/{id}',
        'GET /api/submissions/{id}/attachments/{attachmentId}',
        'GET /api/submissions/{id}/versions/{version}',
        'GET /api/users',
        'POST /api/auth/login',
        'POST /api/auth/logout',
        'POST /api/evaluations',
        'POST /api/evaluations/responses',
        'POST /api/evaluations/form',
        'POST /api/evaluations/{id}/reminders',
        'POST /api/evaluations/{id}/tokens',
        'POST /api/submissions',
        'POST /api/submissions/{id}/attachments',
        'POST /api/submissions/{id}/submit',
        'POST /api/submissions/{id}/versions/{version}/review',
        'POST /api/users',
        'PUT /api/submissions/{id}/draft',
        'PATCH /api/users/{id}',
        'POST /api/users/me/password',
      ].sort(),
    );
    for (const o of mine) expect(o.op.summary).toEqual(expect.any(String));
    // Public: signing in, the session probe and sign-out (cookie), anonymous answers and the form a token opens.
    const open = [
      'POST /api/auth/login',
      'GET /api/auth/session',
      'POST /api/auth/logout',
      'POST /api/evaluations/responses',
      'POST /api/evaluations/form',
    ];
    for (const o of mine.filter((o) => !open.includes(`${o.m.toUpperCase()} ${o.path}`)))
      expect(o.op.security).toEqual([{ bearer: [] }, { campaigns_session: [] }]);
    const idempotent = [
      'POST /api/submissions',
      'POST /api/submissions/{id}/attachments',
      'POST /api/submissions/{id}/submit',
      'POST /api/submissions/{id}/versions/{version}/review',
      'POST /api/evaluations',
      'POST /api/evaluations/{id}/tokens',
      'POST /api/evaluations/{id}/reminders',
    ];
    for (const o of mine.filter((o) => idempotent.includes(`${o.m.toUpperCase()} ${o.path}`))) {
      expect(o.op.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: true })]),
      );
    }
  });
});

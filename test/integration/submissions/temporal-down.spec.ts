import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { SubmissionReconciler } from '../../../apps/api/src/submissions/submission-reconciler';
import { createTestApi } from '../../support/api';
import { insertUnit, loginAs } from '../../support/auth';
import { completeStudyDraft, insertCycle } from '../../support/cycle-fixtures';
import { createTestDatabase, TestDatabase } from '../../support/database';

/**
 * With Temporal unreachable (nothing listens on 127.0.0.1:1), a submit is a 503 with Retry-After. Whether the
 * update reached the workflow is unknown, so the intent stays (`submitting`) for the retry or the reconciler.
 */
describe('submit while Temporal is unreachable', () => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    // a real client to an address where nothing listens; no gRPC retry interceptor (the default retries ~20 s)
    const temporal = new Client({
      connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500, interceptors: [] }),
    });
    app = await createTestApi({
      databaseUrl: db.url,
      temporal,
      env: { ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'att-')) },
    });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers 503 with Retry-After, keeps only the intent (no audit, no answer), and a retry doubles nothing', async () => {
    const unitId = await insertUnit(app, 'T-DOWN');
    const cycleId = await insertCycle(db.dataSource, [unitId]);
    const sec = await loginAs(app, 'unit_secretary', unitId);
    const created = await request(app.getHttpServer())
      .post('/api/submissions')
      .set(sec.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ cycleId, unitId, stepKey: 'study-research', ...completeStudyDraft() })
      .expect(201);
    const counts = async () =>
      (
        await db.query(
          `SELECT (SELECT count(*) FROM submission_version)::int AS v, (SELECT count(*) FROM audit_log WHERE action = 'submission.submit')::int AS a, (SELECT count(*) FROM idempotency_key WHERE status_code = 0)::int AS pending`,
        )
      )[0];
    const before = await counts();
    const key = randomUUID();
    const res = await request(app.getHttpServer())
      .post(`/api/submissions/${created.body.id}/submit`)
      .set(sec.headers)
      .set('Idempotency-Key', key)
      .expect(503);
    expect(res.body).toMatchObject({ error: 'UNAVAILABLE', code: 'WORKFLOW_UNAVAILABLE' });
    expect(res.headers['retry-after']).toBe('2');
    // the intent: one version and the row `submitting`; no audit entry and no stored answer until the workflow answers
    expect(await counts()).toEqual({ v: before.v + 1, a: before.a, pending: before.pending + 1 });
    expect(await db.query(`SELECT status, current_version FROM submission WHERE id = $1`, [created.body.id])).toEqual([
      { status: 'submitting', current_version: 1 },
    ]);
    // while the workflow's answer is pending, the draft cannot change under it
    await request(app.getHttpServer())
      .put(`/api/submissions/${created.body.id}/draft`)
      .set(sec.headers)
      .send(completeStudyDraft())
      .expect(409);
    // the retry with the same key re-sends the same update: still 503, nothing doubled
    await request(app.getHttpServer())
      .post(`/api/submissions/${created.body.id}/submit`)
      .set(sec.headers)
      .set('Idempotency-Key', key)
      .expect(503);
    expect(await counts()).toEqual({ v: before.v + 1, a: before.a, pending: before.pending + 1 });
    // the reconciler cannot ask the workflow either: it leaves the intent for a later pass
    expect(await app.get(SubmissionReconciler).reconcile(0)).toEqual({ settled: 0, undone: 0, followed: 0 });
    expect(await db.query(`SELECT status FROM submission WHERE id = $1`, [created.body.id])).toEqual([
      { status: 'submitting' },
    ]);
  });
});

import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import request from 'supertest';
import { createTestApi } from '../../support/api';
import { insertUnit, loginAs } from '../../support/auth';
import { completeStudyDraft, insertCycle } from '../../support/cycle-fixtures';
import { createTestDatabase, TestDatabase } from '../../support/database';

/** With Temporal unreachable (nothing listens on 127.0.0.1:1), a submit is a 503 and nothing is written. */
describe('submit while Temporal is unreachable', () => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    // a real client to an address where nothing listens; no gRPC retry interceptor (the default retries ~20 s)
    const temporal = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500, interceptors: [] }) });
    app = await createTestApi({ databaseUrl: db.url, temporal, env: { ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'att-')) } });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('answers 503 and rolls back the version, the status, the audit row and the idempotency claim', async () => {
    const unitId = await insertUnit(app, 'T-DOWN');
    const cycleId = await insertCycle(db.dataSource, [unitId]);
    const sec = await loginAs(app, 'unit_secretary', unitId);
    const created = await request(app.getHttpServer()).post('/api/submissions').set(sec.headers).set('Idempotency-Key', randomUUID()).send({ cycleId, unitId, stepKey: 'study-research', ...completeStudyDraft() }).expect(201);
    const counts = async () => (await db.query(`SELECT (SELECT count(*) FROM submission_version)::int AS v, (SELECT count(*) FROM audit_log)::int AS a, (SELECT count(*) FROM idempotency_key)::int AS k`))[0];
    const before = await counts();
    const res = await request(app.getHttpServer()).post(`/api/submissions/${created.body.id}/submit`).set(sec.headers).set('Idempotency-Key', randomUUID()).expect(503);
    expect(res.body.error).toBe('UNAVAILABLE');
    expect(await counts()).toEqual(before);
    expect(await db.query(`SELECT status FROM submission WHERE id = $1`, [created.body.id])).toEqual([{ status: 'draft' }]);
  });
});

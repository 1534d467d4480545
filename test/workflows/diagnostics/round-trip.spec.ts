import type { INestApplication } from '@nestjs/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { tsToDate } from '@temporalio/common';
import request from 'supertest';
import type { roundTripWorkflow } from '../../../workflows/diagnostics/round-trip.workflow';
import { createTestApi } from '../../support/api';
import { insertUnit, loginAs, type LoggedIn } from '../../support/auth';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { createTimeSkippingEnv } from '../../support/time-skipping';
import { createTestWorker, TestWorker } from '../../support/worker';

/** The first vertical slice on the time-skipping server: api → workflow → timer → activity → PostgreSQL → api. */
describe('round trip (time-skipping server, real PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let api: INestApplication;
  let worker: TestWorker;
  let office: LoggedIn;
  let auditor: LoggedIn;
  // Starting is office_admin's; reading is the office's and the auditors'.
  const asOffice = () => request.agent(api.getHttpServer()).set(office.headers);

  beforeAll(async () => {
    [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
    api = await createTestApi({
      databaseUrl: db.url,
      temporal: env.client,
      env: { TEMPORAL_TASK_QUEUE: 'round-trip' },
    });
    worker = await createTestWorker({
      connection: env.nativeConnection,
      client: env.client,
      databaseUrl: db.url,
      taskQueue: 'round-trip',
    });
    [office, auditor] = [await loginAs(api, 'office_admin'), await loginAs(api, 'auditor')];
  });

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await env?.teardown();
    await db?.drop();
  });

  it('writes the row exactly one day of workflow time after the request, and reads it back', async () => {
    const started = await asOffice()
      .post('/api/diagnostics/round-trips')
      .send({ message: '学习调研', delaySeconds: 86_400 })
      .expect(202);
    const { id, workflowId } = started.body;
    expect(workflowId).toBe(`diagnostics-round-trip-${id}`);

    await asOffice().get(`/api/diagnostics/round-trips/${id}`).expect(404);

    const handle = env.client.workflow.getHandle<typeof roundTripWorkflow>(workflowId);
    const result = await worker.runUntil(handle.result());

    // Exact workflow times from the history: the timer ran one day, and the row carries the time it woke at.
    const events = (await handle.fetchHistory()).events!;
    const timerStarted = events.find((e) => e.timerStartedEventAttributes)!;
    const timerFiredAt = events.findIndex((e) => e.timerFiredEventAttributes);
    const wokeAt = events.slice(timerFiredAt).find((e) => e.workflowTaskStartedEventAttributes)!;
    expect(Number(timerStarted.timerStartedEventAttributes!.startToFireTimeout!.seconds)).toBe(86_400);
    expect(result.firedAt).toBe(tsToDate(wokeAt.eventTime!).toISOString());
    const row = await asOffice().get(`/api/diagnostics/round-trips/${id}`).expect(200);
    expect(row.body).toMatchObject({ id, message: '学习调研', workflowId, firedAt: result.firedAt });
    const read = await request(api.getHttpServer())
      .get(`/api/diagnostics/round-trips/${id}`)
      .set(auditor.headers)
      .expect(200);
    expect(read.body).toEqual(row.body);
    expect(
      await db.query(`SELECT actor_email, entity, entity_id FROM audit_log WHERE action = 'diagnostics.round_trip'`),
    ).toEqual([{ actor_email: office.user.email, entity: 'round_trip', entity_id: id }]);
    expect(await db.query('SELECT count(*)::int AS n FROM diagnostic_round_trip')).toEqual([{ n: 1 }]);
  });

  it('rejects a bad request with every field named, and starts nothing', async () => {
    const res = await asOffice()
      .post('/api/diagnostics/round-trips')
      .send({ message: '', delaySeconds: -1, surprise: true })
      .expect(400);
    expect(res.body.error).toBe('VALIDATION_FAILED');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'delaySeconds',
      'message',
      'surprise',
    ]);
    expect(await db.query('SELECT count(*)::int AS n FROM diagnostic_round_trip')).toEqual([{ n: 1 }]);
  });

  it('needs a token (401), and only office_admin may start one (403 for an auditor); nothing is started', async () => {
    const body = { message: 'x', delaySeconds: 1 };
    await request(api.getHttpServer()).post('/api/diagnostics/round-trips').send(body).expect(401);
    await request(api.getHttpServer())
      .get('/api/diagnostics/round-trips/00000000-0000-4000-8000-000000000000')
      .expect(401);
    const refused = await request(api.getHttpServer())
      .post('/api/diagnostics/round-trips')
      .set(auditor.headers)
      .send(body)
      .expect(403);
    expect(refused.body.message).toBe('requires one of the roles: office_admin');
    const secretary = await loginAs(api, 'unit_secretary', await insertUnit(api, 'rt-1'));
    await request(api.getHttpServer())
      .get('/api/diagnostics/round-trips/00000000-0000-4000-8000-000000000000')
      .set(secretary.headers)
      .expect(403);
    expect(await db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'diagnostics.round_trip'`)).toEqual([
      { n: 1 },
    ]);
  });
});

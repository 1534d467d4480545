import { Body, Controller, INestApplication, Param, Post } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../../apps/api/src/app.module';
import { Audited } from '../../../apps/api/src/audit/audited.decorator';
import { Authorized } from '../../../apps/api/src/auth/authorized.decorator';
import { configureApiApp } from '../../../apps/api/src/bootstrap';
import { DomainError } from '../../../libs/domain/src';
import { loginAs } from '../../support/auth';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { testConfig } from '../../support/env';

/** A probe controller shaped like other features' controllers, to show how @Authorized + @Audited compose. */
@Controller('audited-probe')
class ProbeController {
  @Post()
  @Authorized('office_admin')
  @Audited('probe.create')
  create(@Body() body: { name: string }) {
    return { id: 'probe-1', name: body.name };
  }

  @Post(':id/fail')
  @Authorized('office_admin')
  @Audited('probe.fail')
  fail(@Param('id') _id: string) {
    throw DomainError.validation('nope', [{ field: 'name', problem: 'is wrong' }]);
  }
}

describe("@Audited on another feature's controller, and GET /api/audit-log", () => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule], controllers: [ProbeController] })
      .overrideProvider(ConfigService)
      .useValue(testConfig({ DATABASE_URL: db.url }))
      .compile();
    app = configureApiApp(moduleRef.createNestApplication({ bufferLogs: true }));
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('writes one row per successful write (actor, roles, entity id from the response, IP, response as after), none for failures or 403s', async () => {
    const admin = await loginAs(app, 'office_admin');
    const auditor = await loginAs(app, 'auditor');
    await request(app.getHttpServer())
      .post('/api/audited-probe')
      .set(admin.headers)
      .send({ name: '学习调研' })
      .expect(201);
    await request(app.getHttpServer()).post('/api/audited-probe/x/fail').set(admin.headers).expect(400);
    await request(app.getHttpServer()).post('/api/audited-probe').set(auditor.headers).send({ name: 'x' }).expect(403);
    const rows = await db.query(
      `SELECT actor_id, actor_email, actor_roles, action, entity, entity_id, ip, before, after FROM audit_log WHERE action LIKE 'probe.%'`,
    );
    expect(rows).toEqual([
      {
        actor_id: admin.user.id,
        actor_email: admin.user.email,
        actor_roles: ['office_admin'],
        action: 'probe.create',
        entity: 'probe',
        entity_id: 'probe-1',
        ip: expect.stringMatching(/127\.0\.0\.1/),
        before: null,
        after: { id: 'probe-1', name: '学习调研' },
      },
    ]);

    const log = await request(app.getHttpServer()).get('/api/audit-log?entity=probe').set(auditor.headers).expect(200);
    expect(log.body).toEqual([
      expect.objectContaining({ action: 'probe.create', actorId: admin.user.id, entityId: 'probe-1' }),
    ]);
    const logins = await request(app.getHttpServer())
      .get(`/api/audit-log?action=auth.login&limit=1`)
      .set(admin.headers)
      .expect(200);
    expect(logins.body).toEqual([expect.objectContaining({ action: 'auth.login', actorId: auditor.user.id })]);
    const unit = await loginAs(
      app,
      'unit_submitter',
      (
        await db.query(
          `INSERT INTO unit (id, code, name, kind) VALUES (gen_random_uuid(), 'u', 'u', 'school') RETURNING id`,
        )
      )[0].id,
    );
    await request(app.getHttpServer()).get('/api/audit-log').set(unit.headers).expect(403);
    const bad = await request(app.getHttpServer())
      .get('/api/audit-log?from=yesterday&limit=0')
      .set(admin.headers)
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['from', 'limit']);
  });
});

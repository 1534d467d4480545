import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { AppModule } from '../../../apps/api/src/app.module';
import { BearerAuthGuard } from '../../../apps/api/src/auth/bearer-auth.guard';
import { configureApiApp } from '../../../apps/api/src/bootstrap';
import { loginAs } from '../../support/auth';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { testConfig } from '../../support/env';

/** Rehearses the integration step: BearerAuthGuard as APP_GUARD. @Public() routes stay open; the rest need a token. */
describe('BearerAuthGuard installed globally', () => {
  let db: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    db = await createTestDatabase();
    const moduleRef = await Test.createTestingModule({ imports: [AppModule], providers: [{ provide: APP_GUARD, useClass: BearerAuthGuard }] })
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

  it('keeps login and anonymous evaluation answers public, and closes routes without @Authorized', async () => {
    const admin = await loginAs(app, 'office_admin'); // POST /api/auth/login is @Public()
    const answer = await request(app.getHttpServer()).post('/api/evaluations/responses').send({ token: 'no-such-token-0000', answers: {} }).expect(401);
    expect(answer.body.message).toBe('unknown evaluation token'); // reached the service: the guard let it through
    const closed = await request(app.getHttpServer()).get('/api/submissions').expect(401);
    expect(closed.body.message).toMatch(/bearer token is required/);
    await request(app.getHttpServer()).get('/api/submissions').set(admin.headers).expect(200);
  });
});

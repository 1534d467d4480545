import request from 'supertest';
import { DataSource } from 'typeorm';
import { loginAs } from '../../support/auth';
import { useTestApi } from '../../support/test-stack';

/** BearerAuthGuard is the api's APP_GUARD (app.module.ts): @Public() routes stay open; the rest need a token. */
describe('BearerAuthGuard installed globally', () => {
  const stack = useTestApi();

  it('keeps login and anonymous evaluation answers public, and closes routes without @Authorized', async () => {
    const admin = await loginAs(stack.api, 'office_admin'); // POST /api/auth/login is @Public()
    const answer = await request(stack.api.getHttpServer())
      .post('/api/evaluations/responses')
      .send({ token: 'no-such-token-0000', answers: {} })
      .expect(401);
    expect(answer.body.message).toBe('unknown evaluation token'); // reached the service: the guard let it through
    const closed = await request(stack.api.getHttpServer()).get('/api/submissions').expect(401);
    expect(closed.body.message).toMatch(/bearer token is required/);
    await request(stack.api.getHttpServer()).get('/api/submissions').set(admin.headers).expect(200);
  });

  it('keeps /health public (probes carry no token): it answers with the health check, not 401', async () => {
    // No Temporal in this test (TEMPORAL_ADDRESS is unreachable): the check itself answers 503 — past the guard.
    const health = await request(stack.api.getHttpServer()).get('/health').expect(503);
    expect(health.body.details.database).toEqual({ status: 'up' });
  });

  it('a deactivated account is refused at once, under the global guard too', async () => {
    const admin = await loginAs(stack.api, 'office_admin');
    // A deactivated account's token stops working at once (the account is loaded fresh on every request).
    await request(stack.api.getHttpServer()).get('/api/auth/me').set(admin.headers).expect(200);
    await stack.api.get(DataSource).query('UPDATE app_user SET active = false WHERE id = $1', [admin.user.id]);
    const refused = await request(stack.api.getHttpServer()).get('/api/auth/me').set(admin.headers).expect(401);
    expect(refused.body.message).toMatch(/deactivated/);
  });
});

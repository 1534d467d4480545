import request from 'supertest';
import { loginAs } from '../../support/auth';
import { ensureConsoleBuilt } from '../../support/console';
import { useTestApi } from '../../support/test-stack';

/**
 * The web console's session: POST /api/auth/login also sets an httpOnly, SameSite=Strict cookie; the api accepts it
 * instead of a bearer token, refuses cookie-authenticated writes without X-Requested-With (CSRF), and logout clears
 * it. Also: the console is served at / with index.html for client routes, never for /api/*.
 */
describe('session cookie and the served console (real api, real PostgreSQL)', () => {
  const stack = useTestApi();
  let cookie: string;

  beforeAll(async () => {
    ensureConsoleBuilt();
    const office = await loginAs(stack.api, 'office_admin', undefined, { email: 'cookie-admin@test.example.org' });
    const again = await request(stack.api.getHttpServer())
      .post('/api/auth/login')
      .send({ email: office.user.email, password: 'wrong' });
    expect(again.status).toBe(401);
    expect(again.headers['set-cookie']).toBeUndefined();
  });

  async function signIn(): Promise<string[]> {
    const password = 'cookie-password-0123';
    const { hashPassword } = await import('../../../apps/api/src/auth/password-hasher');
    await stack.db.query(`UPDATE app_user SET password_hash = $2 WHERE email = $1`, [
      'cookie-admin@test.example.org',
      await hashPassword(password),
    ]);
    const res = await request(stack.api.getHttpServer())
      .post('/api/auth/login')
      .send({ email: 'cookie-admin@test.example.org', password })
      .expect(200);
    return res.headers['set-cookie'] as unknown as string[];
  }

  it('login sets the token as an httpOnly, SameSite=Strict cookie for the whole site, lasting as long as the token', async () => {
    const setCookie = await signIn();
    expect(setCookie).toHaveLength(1);
    expect(setCookie[0]).toMatch(
      /^campaigns_session=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=28800; Path=\/; Expires=.+; HttpOnly; SameSite=Strict$/,
    );
    cookie = setCookie[0].split(';')[0];
  });

  it('the cookie authenticates reads; writes need X-Requested-With; Bearer still works without it', async () => {
    const me = await request(stack.api.getHttpServer()).get('/api/auth/me').set('Cookie', cookie).expect(200);
    expect(me.body.email).toBe('cookie-admin@test.example.org');
    const session = await request(stack.api.getHttpServer()).get('/api/auth/session').set('Cookie', cookie).expect(200);
    expect(session.body.user).toMatchObject({
      email: 'cookie-admin@test.example.org',
      roles: ['office_admin'],
      active: true,
    });

    const unit = { units: [{ code: 'ck-1', name: '一支部', kind: 'school' }] };
    const forged = await request(stack.api.getHttpServer()).post('/api/units/import').set('Cookie', cookie).send(unit);
    expect([forged.status, forged.body.message]).toEqual([
      403,
      'a write signed in by the session cookie needs the x-requested-with header (cross-site request guard)',
    ]);
    expect(await stack.db.query(`SELECT code FROM unit WHERE code = 'ck-1'`)).toEqual([]);

    await request(stack.api.getHttpServer())
      .post('/api/units/import')
      .set('Cookie', cookie)
      .set('X-Requested-With', 'campaigns-console')
      .send(unit)
      .expect(200);
    expect(await stack.db.query(`SELECT code FROM unit WHERE code = 'ck-1'`)).toEqual([{ code: 'ck-1' }]);

    const bearer = await loginAs(stack.api, 'office_admin');
    await request(stack.api.getHttpServer())
      .post('/api/units/import')
      .set(bearer.headers)
      .send({ units: [{ code: 'ck-2', name: '二支部', kind: 'school' }] })
      .expect(200);
  });

  it('logout clears the cookie; without it the api answers 401', async () => {
    const res = await request(stack.api.getHttpServer()).post('/api/auth/logout').set('Cookie', cookie).expect(204);
    expect(res.headers['set-cookie']).toEqual([
      'campaigns_session=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict',
    ]);
    await request(stack.api.getHttpServer()).get('/api/auth/me').expect(401);
    // The console's start-up question answers 200 with no user (a signed-out visit logs no failed request).
    expect((await request(stack.api.getHttpServer()).get('/api/auth/session').expect(200)).body).toEqual({
      user: null,
    });
    expect(
      (
        await request(stack.api.getHttpServer())
          .get('/api/auth/session')
          .set('Cookie', 'campaigns_session=forged.token.x')
          .expect(200)
      ).body,
    ).toEqual({ user: null });
  });

  it('serves the console at / and index.html for client routes, but JSON 404s under /api and the api’s own pages', async () => {
    const root = await request(stack.api.getHttpServer()).get('/');
    expect(root.status).toBe(200);
    expect(root.headers['content-type']).toMatch(/text\/html/);
    expect(root.text).toContain('<div id="root"></div>');
    const deep = await request(stack.api.getHttpServer()).get('/campaigns?status=running').expect(200);
    expect(deep.text).toBe(root.text);
    const missing = await request(stack.api.getHttpServer()).get('/api/no-such-thing').expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/json/);
    const health = await request(stack.api.getHttpServer()).get('/health');
    expect(health.headers['content-type']).toMatch(/application\/json/);
    const docs = await request(stack.api.getHttpServer()).get('/docs/openapi.json').expect(200);
    expect(docs.body.paths['/api/cycles']).toBeDefined();
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(root.text)![1];
    const js = await request(stack.api.getHttpServer()).get(asset).expect(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(root.headers['cache-control']).toBe('no-cache');
  });
});

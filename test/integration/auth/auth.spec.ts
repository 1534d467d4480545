import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import { UnitAccessService } from '../../../apps/api/src/auth/unit-access.service';
import { createTestApi } from '../../support/api';
import { insertUnit, loginAs } from '../../support/auth';
import { useTestApi } from '../../support/test-stack';

const ADMIN_EMAIL = 'bootstrap-admin@office.example.org';
const ADMIN_PASSWORD = 'bootstrap-password-123';

describe('auth: login, roles, users, unit-scoped access, audit', () => {
  const stack = useTestApi({ env: { BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL, BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD } });
  const http = () => request(stack.api.getHttpServer());

  it('creates the bootstrap office admin once, from configuration', async () => {
    const rows = await stack.db.query(`SELECT email, roles, unit_id FROM app_user WHERE 'office_admin' = ANY(roles)`);
    expect(rows).toEqual([{ email: ADMIN_EMAIL, roles: ['office_admin'], unit_id: null }]);
    const hash = await stack.db.query(`SELECT password_hash FROM app_user WHERE email = $1`, [ADMIN_EMAIL]);
    expect(hash[0].password_hash).toMatch(/^\$argon2id\$/);
    // a second api on the same database (a restart) does not create another
    const again = await createTestApi({
      databaseUrl: stack.db.url,
      env: { BOOTSTRAP_ADMIN_EMAIL: 'other@office.example.org', BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD },
    });
    await again.close();
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM app_user`)).toEqual([{ n: 1 }]);
    expect(
      await stack.db.query(`SELECT action, entity_id FROM audit_log WHERE action = 'user.bootstrap_admin'`),
    ).toHaveLength(1);
  });

  it('logs in with e-mail (any case) and password, and the token identifies the account', async () => {
    const res = await http()
      .post('/api/auth/login')
      .send({ email: ADMIN_EMAIL.toUpperCase(), password: ADMIN_PASSWORD })
      .expect(200);
    expect(res.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 8 * 3600,
      user: { email: ADMIN_EMAIL, roles: ['office_admin'] },
    });
    const me = await http().get('/api/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    expect(me.body).toMatchObject({ email: ADMIN_EMAIL, roles: ['office_admin'], unitId: null });
  });

  it('refuses a wrong password and an unknown e-mail with the same 401, and audits the attempt', async () => {
    const wrong = await http()
      .post('/api/auth/login')
      .send({ email: ADMIN_EMAIL, password: 'not-the-password' })
      .expect(401);
    const unknown = await http()
      .post('/api/auth/login')
      .send({ email: 'nobody@example.org', password: 'whatever' })
      .expect(401);
    expect(wrong.body.message).toBe('wrong e-mail or password');
    expect(unknown.body.message).toBe('wrong e-mail or password');
    const failed = await stack.db.query(
      `SELECT actor_id, actor_email, ip FROM audit_log WHERE action = 'auth.login_failed' ORDER BY id`,
    );
    expect(failed.map((r) => r.actor_email)).toEqual([ADMIN_EMAIL, 'nobody@example.org']);
    expect(failed.every((r) => r.actor_id === null && typeof r.ip === 'string')).toBe(true);
  });

  it('after 5 failures for an e-mail from one address, that address waits (429 + Retry-After), e-mail in any case', async () => {
    const victim = await loginAs(stack.api, 'office_reviewer');
    for (let i = 0; i < 5; i++)
      await http()
        .post('/api/auth/login')
        .send({ email: victim.user.email, password: `guess-${i}` })
        .expect(401);
    const res = await http()
      .post('/api/auth/login')
      .send({ email: victim.user.email.toUpperCase(), password: 'any' })
      .expect(429);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toEqual({
      statusCode: 429,
      error: 'TOO_MANY_REQUESTS',
      message: 'too many failed logins from this address for this account: wait 1 s',
      details: [],
    });
    expect(
      await stack.db.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login_failed' AND actor_email = $1`,
        [victim.user.email],
      ),
    ).toEqual([{ n: 5 }]);
    // (test/integration/auth/login-throttle.spec.ts: growing delays, other addresses, restarts)
  });

  it('400s a malformed login body with field messages', async () => {
    const res = await http().post('/api/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect(res.body.details).toEqual(
      expect.arrayContaining([
        { field: 'email', problem: 'must be an e-mail address' },
        expect.objectContaining({ field: 'password' }),
      ]),
    );
  });

  it('401s without a token, with a malformed, forged or expired token', async () => {
    expect((await http().get('/api/auth/me').expect(401)).body.error).toBe('UNAUTHORIZED');
    await http().get('/api/auth/me').set('Authorization', 'Basic abc').expect(401);
    await http().get('/api/auth/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
    const office = await loginAs(stack.api, 'office_admin');
    const [h, p] = office.token.split('.');
    await http().get('/api/auth/me').set('Authorization', `Bearer ${h}.${p}.forgedsignature`).expect(401);
    const forgedElsewhere = new JwtService({ secret: 'x'.repeat(40) }).sign({
      sub: office.user.id,
      roles: ['office_admin'],
    });
    await http().get('/api/auth/me').set('Authorization', `Bearer ${forgedElsewhere}`).expect(401);
    const expired = await stack.api
      .get(JwtService)
      .signAsync({ sub: office.user.id, roles: ['office_admin'] }, { expiresIn: -10 });
    const res = await http().get('/api/auth/me').set('Authorization', `Bearer ${expired}`).expect(401);
    expect(res.body.message).toMatch(/expired/);
  });

  it('401s the token of a deactivated account at once', async () => {
    const user = await loginAs(stack.api, 'auditor');
    await http().get('/api/auth/me').set(user.headers).expect(200);
    await stack.db.query(`UPDATE app_user SET active = false WHERE id = $1`, [user.user.id]);
    await http().get('/api/auth/me').set(user.headers).expect(401);
  });

  describe('POST /api/users', () => {
    let unitId: string;
    beforeAll(async () => {
      unitId = await insertUnit(stack.api, 'users-unit');
    });

    it('lets an office admin create a unit secretary, hashed with argon2id and audited', async () => {
      const admin = await loginAs(stack.api, 'office_admin');
      const res = await http()
        .post('/api/users')
        .set(admin.headers)
        .send({
          email: 'sec@school.example.org',
          displayName: '王书记',
          password: 'a-long-password!',
          roles: ['unit_secretary'],
          unitId,
        })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        email: 'sec@school.example.org',
        displayName: '王书记',
        roles: ['unit_secretary'],
        unitId,
        active: true,
      });
      expect(res.body.passwordHash).toBeUndefined();
      const audit = await stack.db.query(
        `SELECT actor_id, actor_roles, entity, entity_id, after FROM audit_log WHERE action = 'user.create'`,
      );
      expect(audit).toEqual([
        {
          actor_id: admin.user.id,
          actor_roles: ['office_admin'],
          entity: 'user',
          entity_id: res.body.id,
          after: res.body,
        },
      ]);
      await http()
        .post('/api/auth/login')
        .send({ email: 'sec@school.example.org', password: 'a-long-password!' })
        .expect(200);
    });

    it.each(['office_reviewer', 'unit_secretary', 'unit_submitter', 'auditor'] as const)('403s a %s', async (role) => {
      const caller = await loginAs(stack.api, role, role.startsWith('unit_') ? unitId : undefined);
      const before = await stack.db.query(`SELECT count(*)::int AS n FROM app_user`);
      const res = await http()
        .post('/api/users')
        .set(caller.headers)
        .send({ email: `x-${role}@example.org`, displayName: 'x', password: 'a-long-password!', roles: ['auditor'] })
        .expect(403);
      expect(res.body.message).toBe('requires one of the roles: office_admin');
      expect(await stack.db.query(`SELECT count(*)::int AS n FROM app_user`)).toEqual(before);
    });

    it('400s bad input field by field and writes nothing', async () => {
      const admin = await loginAs(stack.api, 'office_admin');
      const count = async () => (await stack.db.query(`SELECT count(*)::int AS n FROM app_user`))[0].n;
      const before = await count();
      const auditBefore = (
        await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.create'`)
      )[0].n;
      const bad = await http()
        .post('/api/users')
        .set(admin.headers)
        .send({ email: 'nope', displayName: '', password: 'short', roles: ['king'] })
        .expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
        'displayName',
        'email',
        'password',
        'roles',
      ]);
      const noUnit = await http()
        .post('/api/users')
        .set(admin.headers)
        .send({ email: 'a@b.org', displayName: 'A', password: 'a-long-password!', roles: ['unit_submitter'] })
        .expect(400);
      expect(noUnit.body.details).toEqual([
        { field: 'unitId', problem: 'is required for unit_secretary and unit_submitter' },
      ]);
      const unknownUnit = await http()
        .post('/api/users')
        .set(admin.headers)
        .send({
          email: 'a@b.org',
          displayName: 'A',
          password: 'a-long-password!',
          roles: ['unit_submitter'],
          unitId: '00000000-0000-4000-8000-000000000000',
        })
        .expect(400);
      expect(unknownUnit.body.details).toEqual([{ field: 'unitId', problem: 'unknown unit' }]);
      const officeWithUnit = await http()
        .post('/api/users')
        .set(admin.headers)
        .send({ email: 'a@b.org', displayName: 'A', password: 'a-long-password!', roles: ['auditor'], unitId })
        .expect(400);
      expect(officeWithUnit.body.details).toEqual([
        { field: 'unitId', problem: 'must be empty for office and auditor roles' },
      ]);
      const dup = await http()
        .post('/api/users')
        .set(admin.headers)
        .send({ email: ADMIN_EMAIL.toUpperCase(), displayName: 'A', password: 'a-long-password!', roles: ['auditor'] })
        .expect(409);
      expect(dup.body.details).toEqual([{ field: 'email', problem: 'is already registered' }]);
      expect(await count()).toBe(before);
      expect((await stack.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.create'`))[0].n).toBe(
        auditBefore,
      );
    });
  });

  describe('PATCH /api/users/:id and password change', () => {
    it('changes roles and unit together, applies at the next request, audits before/after', async () => {
      const admin = await loginAs(stack.api, 'office_admin');
      const unitId = await insertUnit(stack.api, 'patch-unit');
      const sec = await loginAs(stack.api, 'unit_secretary', unitId);
      const bad = await http()
        .patch(`/api/users/${sec.user.id}`)
        .set(admin.headers)
        .send({ roles: ['auditor'] })
        .expect(400);
      expect(bad.body.details).toEqual([{ field: 'unitId', problem: 'must be empty for office and auditor roles' }]);
      const res = await http()
        .patch(`/api/users/${sec.user.id}`)
        .set(admin.headers)
        .send({ roles: ['auditor'], unitId: null, displayName: '审计' })
        .expect(200);
      expect(res.body).toMatchObject({ roles: ['auditor'], unitId: null, displayName: '审计', active: true });
      expect((await http().get('/api/auth/me').set(sec.headers).expect(200)).body.roles).toEqual(['auditor']);
      const [row] = await stack.db.query(
        `SELECT actor_id, before, after FROM audit_log WHERE action = 'user.update' AND entity_id = $1`,
        [sec.user.id],
      );
      expect(row).toMatchObject({
        actor_id: admin.user.id,
        before: { roles: ['unit_secretary'], unitId },
        after: { roles: ['auditor'], unitId: null, passwordChanged: false },
      });
      await http().patch(`/api/users/${sec.user.id}`).set(sec.headers).send({ active: false }).expect(403);
    });

    it('refuses to deactivate or demote the last active office admin', async () => {
      await stack.db.query(`UPDATE app_user SET active = false WHERE 'office_admin' = ANY(roles)`);
      const admin = await loginAs(stack.api, 'office_admin');
      const res = await http()
        .patch(`/api/users/${admin.user.id}`)
        .set(admin.headers)
        .send({ active: false })
        .expect(409);
      expect(res.body.message).toMatch(/last active office admin/);
      await http()
        .patch(`/api/users/${admin.user.id}`)
        .set(admin.headers)
        .send({ roles: ['office_reviewer'] })
        .expect(409);
      const second = await loginAs(stack.api, 'office_admin');
      await http().patch(`/api/users/${admin.user.id}`).set(second.headers).send({ active: false }).expect(200);
      await http().get('/api/auth/me').set(admin.headers).expect(401);
    });

    it('lets an account change its own password with the current one', async () => {
      const me = await loginAs(stack.api, 'unit_submitter', await insertUnit(stack.api, 'pw-unit'));
      const wrong = await http()
        .post('/api/users/me/password')
        .set(me.headers)
        .send({ currentPassword: 'nope', newPassword: 'a-brand-new-password' })
        .expect(400);
      expect(wrong.body.details).toEqual([{ field: 'currentPassword', problem: 'is wrong' }]);
      // loginAs does not reveal the password: set a known one through the admin route, then change it
      const admin = await loginAs(stack.api, 'office_admin');
      await http()
        .patch(`/api/users/${me.user.id}`)
        .set(admin.headers)
        .send({ password: 'known-password-123' })
        .expect(200);
      // the reset ended the old token: sign in with the new password
      const token = (
        await http().post('/api/auth/login').send({ email: me.user.email, password: 'known-password-123' }).expect(200)
      ).body.accessToken;
      await http()
        .post('/api/users/me/password')
        .set('Authorization', `Bearer ${token}`)
        .send({ currentPassword: 'known-password-123', newPassword: 'a-brand-new-password' })
        .expect(200, { changed: true });
      await http().post('/api/auth/login').send({ email: me.user.email, password: 'known-password-123' }).expect(401);
      await http().post('/api/auth/login').send({ email: me.user.email, password: 'a-brand-new-password' }).expect(200);
      expect(
        await stack.db.query(
          `SELECT count(*)::int AS n FROM audit_log WHERE action = 'user.change_password' AND actor_id = $1`,
          [me.user.id],
        ),
      ).toEqual([{ n: 1 }]);
    });
  });

  describe('UnitAccessService over a unit tree', () => {
    // 党委 root → 党总支 general → { branch-a, branch-b }; other-root is unrelated
    let root: string, general: string, branchA: string, branchB: string, otherRoot: string;
    let access: UnitAccessService;
    const user = (roles: string[], unitId: string | null) => ({
      id: 'u',
      email: 'u@x',
      displayName: 'u',
      roles: roles as never,
      unitId,
    });

    beforeAll(async () => {
      root = await insertUnit(stack.api, 'acc-root');
      general = await insertUnit(stack.api, 'acc-general', { parentId: root, kind: 'general_branch' });
      branchA = await insertUnit(stack.api, 'acc-a', { parentId: general });
      branchB = await insertUnit(stack.api, 'acc-b', { parentId: general });
      otherRoot = await insertUnit(stack.api, 'acc-other');
      access = stack.api.get(UnitAccessService);
    });

    it('a secretary reads own unit and the whole subtree, writes only own unit', async () => {
      const rootSecretary = user(['unit_secretary'], root);
      for (const u of [root, general, branchA, branchB]) expect(await access.canRead(rootSecretary, u)).toBe(true);
      expect(await access.canRead(rootSecretary, otherRoot)).toBe(false);
      expect([root, general, branchA].map((u) => access.canWrite(rootSecretary, u))).toEqual([true, false, false]);
    });

    it('a branch reads neither its sibling nor its parent', async () => {
      const a = user(['unit_secretary'], branchA);
      expect(await access.canRead(a, branchA)).toBe(true);
      expect(await access.canRead(a, branchB)).toBe(false);
      expect(await access.canRead(a, general)).toBe(false);
    });

    it('a submitter reads and writes only its own unit (no subtree)', async () => {
      const s = user(['unit_submitter'], general);
      expect(await access.canRead(s, general)).toBe(true);
      expect(await access.canRead(s, branchA)).toBe(false);
      expect(access.canWrite(s, general)).toBe(true);
    });

    it('office roles read and write everything; auditors read everything and write nothing', async () => {
      for (const role of ['office_admin', 'office_reviewer']) {
        expect(await access.canRead(user([role], null), branchB)).toBe(true);
        expect(access.canWrite(user([role], null), branchB)).toBe(true);
      }
      expect(await access.canRead(user(['auditor'], null), otherRoot)).toBe(true);
      expect(access.canWrite(user(['auditor'], null), otherRoot)).toBe(false);
    });

    it('the list filter returns exactly the readable units', async () => {
      const f = access.readableUnitsFilter(user(['unit_secretary'], general), 'id', 1)!;
      const rows = await stack.db.query(
        `SELECT code FROM unit WHERE code LIKE 'acc-%' AND ${f.sql} ORDER BY code`,
        f.params,
      );
      expect(rows.map((r) => r.code)).toEqual(['acc-a', 'acc-b', 'acc-general']);
      expect(access.readableUnitsFilter(user(['auditor'], null), 'id', 1)).toBeNull();
    });
  });
});

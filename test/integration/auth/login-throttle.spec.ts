import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { hashPassword } from '../../../apps/api/src/auth/password-hasher';
import { createTestApi } from '../../support/api';
import { loginAs } from '../../support/auth';
import { setTimeout as sleep } from 'node:timers/promises';
import { useTestApi } from '../../support/test-stack';

interface Reply {
  status: number;
  retryAfter: number | null;
  body: any;
}

/**
 * POST /api/auth/login from a chosen source address on the loopback network (127.0.0.0/8 is all local on Linux),
 * so one test can play the attacker (127.0.0.2) and the real user (127.0.0.3) without trusting X-Forwarded-For.
 */
function loginFrom(port: number, from: string, email: string, password: string): Promise<Reply> {
  const payload = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        localAddress: from,
        method: 'POST',
        path: '/api/auth/login',
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            retryAfter: res.headers['retry-after'] ? Number(res.headers['retry-after']) : null,
            body: JSON.parse(text),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('login throttling by account and source address; token revocation', () => {
  const stack = useTestApi();
  let port: number;

  beforeAll(async () => {
    await stack.api.listen(0, '127.0.0.1');
    port = (stack.api.getHttpServer().address() as AddressInfo).port;
  });

  /** An account with a known password (loginAs keeps its random one to itself), stored as the api stores it. */
  async function accountWithPassword(role: 'office_admin' | 'office_reviewer') {
    const account = await loginAs(stack.api, role);
    const password = 'the-real-password-123';
    await stack.db.query(`UPDATE app_user SET password_hash = $2 WHERE id = $1`, [
      account.user.id,
      await hashPassword(password),
    ]);
    return { ...account, password };
  }

  it('an attacker guessing from one address cannot lock an office admin out: the real user signs in from another address', async () => {
    const admin = await accountWithPassword('office_admin');
    const statuses: number[] = [];
    for (let i = 0; i < 30; i++)
      statuses.push((await loginFrom(port, '127.0.0.2', admin.user.email, `guess-${i}`)).status);
    // the first five guesses are checked (401), then the attacker's address waits (429) and is never told more
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    const real = await loginFrom(port, '127.0.0.3', admin.user.email, admin.password);
    expect(real.status).toBe(200);
    expect(real.body.user.email).toBe(admin.user.email);
  });

  it('slows brute force from one address with growing delays (Retry-After 1 s, 2 s, 4 s), even for the right password', async () => {
    const victim = await accountWithPassword('office_reviewer');
    const from = '127.0.0.4';
    for (let i = 0; i < 5; i++) expect((await loginFrom(port, from, victim.user.email, `guess-${i}`)).status).toBe(401);
    const first = await loginFrom(port, from, victim.user.email, victim.password);
    expect(first).toMatchObject({ status: 429, retryAfter: 1, body: { statusCode: 429, error: 'TOO_MANY_REQUESTS' } });
    expect(first.body.message).toMatch(/^too many failed logins from this address for this account: wait 1 s$/);
    await sleep(1100);
    expect((await loginFrom(port, from, victim.user.email, 'guess-6')).status).toBe(401);
    expect((await loginFrom(port, from, victim.user.email, 'guess-7')).retryAfter).toBe(2);
    await sleep(2100);
    expect((await loginFrom(port, from, victim.user.email, 'guess-8')).status).toBe(401);
    expect((await loginFrom(port, from, victim.user.email, 'guess-9')).retryAfter).toBe(4);
    // every checked guess is audited; refused ones (429) never reached the password check
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login_failed' AND actor_email = $1`,
      [victim.user.email],
    );
    expect(n).toBe(7);
  });

  it('keeps the slow-down across an api restart (the counters live in PostgreSQL)', async () => {
    const victim = await accountWithPassword('office_reviewer');
    for (let i = 0; i < 5; i++) await loginFrom(port, '127.0.0.5', victim.user.email, `guess-${i}`);
    const restarted = await createTestApi({ databaseUrl: stack.db.url });
    try {
      await restarted.listen(0, '127.0.0.1');
      const otherPort = (restarted.getHttpServer().address() as AddressInfo).port;
      expect((await loginFrom(otherPort, '127.0.0.5', victim.user.email, victim.password)).status).toBe(429);
      expect((await loginFrom(otherPort, '127.0.0.6', victim.user.email, victim.password)).status).toBe(200);
    } finally {
      await restarted.close();
    }
  });

  it('a successful login from an address clears its failures there', async () => {
    const user = await accountWithPassword('office_reviewer');
    const from = '127.0.0.7';
    for (let i = 0; i < 4; i++) expect((await loginFrom(port, from, user.user.email, `typo-${i}`)).status).toBe(401);
    expect((await loginFrom(port, from, user.user.email, user.password)).status).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await loginFrom(port, from, user.user.email, `typo-again-${i}`)).status).toBe(401);
    expect((await loginFrom(port, from, user.user.email, user.password)).status).toBe(200);
  });

  describe('token revocation', () => {
    const me = (token: string) =>
      request(stack.api.getHttpServer()).get('/api/auth/me').set('Authorization', `Bearer ${token}`);

    it('ends every earlier token when the account changes its own password; a new login works', async () => {
      const user = await accountWithPassword('office_reviewer');
      const old = (await loginFrom(port, '127.0.0.1', user.user.email, user.password)).body.accessToken;
      await me(old).expect(200);
      await request(stack.api.getHttpServer())
        .post('/api/users/me/password')
        .set('Authorization', `Bearer ${old}`)
        .send({ currentPassword: user.password, newPassword: 'a-brand-new-password' })
        .expect(200);
      const res = await me(old).expect(401);
      expect(res.body.message).toBe('this token was revoked (password changed or account deactivated): sign in again');
      const fresh = await loginFrom(port, '127.0.0.1', user.user.email, 'a-brand-new-password');
      expect(fresh.status).toBe(200);
      await me(fresh.body.accessToken).expect(200);
    });

    it('ends earlier tokens when an admin sets a new password, and when it deactivates the account (reactivation does not revive them)', async () => {
      const admin = await loginAs(stack.api, 'office_admin');
      const user = await loginAs(stack.api, 'office_reviewer');
      await request(stack.api.getHttpServer())
        .patch(`/api/users/${user.user.id}`)
        .set(admin.headers)
        .send({ password: 'reset-by-the-office-1' })
        .expect(200);
      await me(user.token).expect(401);

      const second = (await loginFrom(port, '127.0.0.1', user.user.email, 'reset-by-the-office-1')).body.accessToken;
      await me(second).expect(200);
      await request(stack.api.getHttpServer())
        .patch(`/api/users/${user.user.id}`)
        .set(admin.headers)
        .send({ active: false })
        .expect(200);
      await me(second).expect(401);
      await request(stack.api.getHttpServer())
        .patch(`/api/users/${user.user.id}`)
        .set(admin.headers)
        .send({ active: true })
        .expect(200);
      await me(second).expect(401);
      // a rename does not end sessions
      const third = (await loginFrom(port, '127.0.0.1', user.user.email, 'reset-by-the-office-1')).body.accessToken;
      await request(stack.api.getHttpServer())
        .patch(`/api/users/${user.user.id}`)
        .set(admin.headers)
        .send({ displayName: 'Renamed' })
        .expect(200);
      await me(third).expect(200);
    });
  });
});

import type { INestApplication } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../apps/api/src/auth/password-hasher';
import type { Role } from '../../apps/api/src/auth/roles';

export interface LoggedIn {
  token: string;
  /** `{ Authorization: 'Bearer …' }` for supertest's `.set(...)`. */
  headers: { Authorization: string };
  user: { id: string; email: string; roles: Role[]; unitId: string | null };
}

export interface NewAccount {
  id: string;
  email: string;
  password: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
}

/** Inserts an app_user with `roles` (unit roles need `unitId`) and a random password; returns it with the password. */
export async function insertAccount(
  db: DataSource,
  roles: Role[],
  opts: { unitId?: string; email?: string; displayName?: string } = {},
): Promise<NewAccount> {
  // A fixed e-mail (opts.email) when a test asserts the actor recorded in histories: actors are account e-mails.
  const email = opts.email ?? `${roles[0].replace('_', '-')}-${randomBytes(4).toString('hex')}@test.example.org`;
  const account = {
    id: randomUUID(),
    email,
    password: `pw-${randomBytes(12).toString('hex')}`,
    displayName: opts.displayName ?? `Test ${roles.join('+')}`,
    roles,
    unitId: opts.unitId ?? null,
  };
  await db.query(
    `INSERT INTO app_user (id, email, display_name, password_hash, roles, unit_id) VALUES ($1, $2, $3, $4, $5, $6)`,
    [account.id, account.email, account.displayName, await hashPassword(account.password), roles, account.unitId],
  );
  return account;
}

/** Logs in through POST /api/auth/login like a client would; returns the bearer token. */
export async function signIn(app: INestApplication, account: { email: string; password: string }): Promise<string> {
  const res = await request(app.getHttpServer())
    .post('/api/auth/login')
    .send({ email: account.email, password: account.password });
  if (res.status !== 200)
    throw new Error(`login as ${account.email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken;
}

/**
 * Creates an account with `role` (unit roles need `unitId`) directly in the app's database, then logs in through
 * POST /api/auth/login like a client would, and returns the bearer token.
 *
 *   const office = await loginAs(app, 'office_admin');
 *   await request(app.getHttpServer()).post('/api/units').set(office.headers).send({...});
 */
export async function loginAs(
  app: INestApplication,
  role: Role | Role[],
  unitId?: string,
  opts: { email?: string } = {},
): Promise<LoggedIn> {
  const account = await insertAccount(app.get(DataSource), Array.isArray(role) ? role : [role], {
    unitId,
    email: opts.email,
  });
  const token = await signIn(app, account);
  return {
    token,
    headers: { Authorization: `Bearer ${token}` },
    user: { id: account.id, email: account.email, roles: account.roles, unitId: account.unitId },
  };
}

/** Inserts a unit row (its name derived from `code` unless given); returns its id. For arranging unit trees in tests. */
export async function insertUnit(
  app: INestApplication | DataSource,
  code: string,
  opts: { parentId?: string; kind?: string; name?: string } = {},
): Promise<string> {
  const db = app instanceof DataSource ? app : app.get(DataSource);
  const id = randomUUID();
  await db.query(`INSERT INTO unit (id, code, name, kind, parent_id) VALUES ($1, $2, $3, $4, $5)`, [
    id,
    code,
    opts.name ?? `Unit ${code}`,
    opts.kind ?? 'school',
    opts.parentId ?? null,
  ]);
  return id;
}

/**
 * A 党总支 (general branch) with two branches A and B under it, and the accounts unit-scoping tests need: A's
 * secretary and submitter, B's secretary, the 党总支's secretary, and one office reviewer, office admin and auditor.
 */
export async function twoBranchesWithAccounts(app: INestApplication, codes: { parent: string; a: string; b: string }) {
  const parent = await insertUnit(app, codes.parent, { kind: 'general_branch' });
  const unitA = await insertUnit(app, codes.a, { parentId: parent });
  const unitB = await insertUnit(app, codes.b, { parentId: parent });
  const [secA, subA, secB, secParent, reviewer, admin, auditor] = await Promise.all([
    loginAs(app, 'unit_secretary', unitA),
    loginAs(app, 'unit_submitter', unitA),
    loginAs(app, 'unit_secretary', unitB),
    loginAs(app, 'unit_secretary', parent),
    loginAs(app, 'office_reviewer'),
    loginAs(app, 'office_admin'),
    loginAs(app, 'auditor'),
  ]);
  return { parent, unitA, unitB, secA, subA, secB, secParent, reviewer, admin, auditor };
}

import type { INestApplication } from '@nestjs/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Role } from '../../../apps/api/src/auth/roles';
import { createTestApi } from '../../support/api';
import { storeTemplate, unitTree } from '../../integration/cycles/cycles.fixture';
import { insertAccount, signIn } from '../../support/auth';
import { ensureConsoleBuilt } from '../../support/console';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { eventually } from '../../support/eventually';
import { temporalCliBin } from '../../support/paths';
import { startWorkers } from '../../support/worker';

export interface Account {
  email: string;
  password: string;
  displayName: string;
  /** `Authorization: Bearer …` for arranging data through the api (not what the browser uses). */
  headers: { Authorization: string };
}

export interface ConsoleStack {
  /** http://127.0.0.1:<port> — the console at /, the api under /api. */
  baseUrl: string;
  db: TestDatabase;
  app: INestApplication;
  temporal: TestWorkflowEnvironment;
  office: Account;
  /** Another account (created in the database, signed in through the api). */
  account(roles: Role[], opts?: { unitId?: string; displayName?: string }): Promise<Account>;
  /** fetch against the api with the office's bearer token. */
  api(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The whole service for a browser test, in this Jest process: the built console (dist/console) served by the real
 * api listening on a free port, the real worker (and notice workers) polling a real Temporal dev server (real clock,
 * so relative template times such as PT30S pass as they would in production), on a fresh real PostgreSQL database.
 * In-process rather than `npm start` (which test/e2e covers): no tsc build of dist/, ~3 s instead of ~30 s, and
 * the test can arrange rows directly. The api is the same module graph and bootstrap as apps/api/src/main.ts.
 */
/** `workerEnv`: the worker's own settings on top of the test defaults (e.g. SMTP_HOST/SMTP_PORT of an SMTP sink, PUBLIC_BASE_URL). */
export async function startConsoleStack(opts: { workerEnv?: Record<string, string> } = {}): Promise<ConsoleStack> {
  ensureConsoleBuilt();
  quietTemporalRuntime();
  const taskQueue = `browser-${randomBytes(3).toString('hex')}`;
  const [db, temporal] = await Promise.all([
    createTestDatabase(),
    TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: temporalCliBin }, ip: '127.0.0.1' },
    }),
  ]);
  const app = await createTestApi({
    databaseUrl: db.url,
    temporal: temporal.client,
    env: { TEMPORAL_TASK_QUEUE: taskQueue },
  });
  const workers = await startWorkers(temporal, db, taskQueue, opts.workerEnv);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');

  const account = async (
    roles: Role[],
    opts: { unitId?: string; displayName?: string; email?: string } = {},
  ): Promise<Account> => {
    const email = opts.email ?? `${roles[0].replace(/_/g, '-')}-${randomBytes(3).toString('hex')}@browser.example.org`;
    const created = await insertAccount(app.get(DataSource), roles, {
      unitId: opts.unitId,
      email,
      displayName: opts.displayName ?? '王主任',
    });
    const token = await signIn(app, created);
    return {
      email,
      password: created.password,
      displayName: created.displayName,
      headers: { Authorization: `Bearer ${token}` },
    };
  };
  const office = await account(['office_admin'], { displayName: '王主任' });

  return {
    baseUrl,
    db,
    app,
    temporal,
    office,
    account,
    api: (path, init = {}) =>
      fetch(`${baseUrl}${path}`, {
        ...init,
        headers: { 'content-type': 'application/json', ...office.headers, ...(init.headers as Record<string, string>) },
      }),
    close: async () => {
      await app.close();
      await workers.stop();
      await temporal.teardown();
      await db.drop();
    },
  };
}

/** Starts a cycle through the api as the office (`Idempotency-Key: key`; a random one if omitted); returns its id. */
export async function startCycleAsOffice(
  stack: ConsoleStack,
  body: object,
  key: string = randomUUID(),
): Promise<string> {
  const started = await stack.api('/api/cycles', {
    method: 'POST',
    headers: { 'Idempotency-Key': key },
    body: JSON.stringify(body),
  });
  expect(started.status).toBe(201);
  return ((await started.json()) as { id: string }).id;
}

/**
 * Waits until the start batches have started all `units` unit workflows of the cycle (`cycle_unit.status` running).
 * The start request itself writes every unit's progress rows, before any workflow exists, so a step that shows
 * "open" does not yet mean its workflow takes a submit: until the workflow is started that answers 409
 * WORKFLOW_NOT_RUNNING (a fresh clone's slower first run lost that race).
 */
export async function unitWorkflowsStarted(stack: ConsoleStack, cycleId: string, units: number): Promise<void> {
  await eventually(
    () =>
      stack.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM cycle_unit WHERE cycle_id = $1 AND status = 'running'`,
        [cycleId],
      ),
    (r) => r[0].n === units,
    { timeoutMs: 60_000 },
  );
}

/** The cycles' two-stage test template (version 1) stored, and their unit tree imported through the api. */
export async function seedCyclesTree(stack: ConsoleStack): Promise<void> {
  await storeTemplate(stack.db, 1);
  expect(
    (await stack.api('/api/units/import', { method: 'POST', body: JSON.stringify({ units: unitTree }) })).status,
  ).toBe(200);
}

/** Worker state changes at INFO would bury the test's own output; once per Jest worker process. */
function quietTemporalRuntime() {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    /* already installed by an earlier stack in this process */
  }
}

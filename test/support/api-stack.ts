import type { INestApplication } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TokenClaims } from '../../apps/api/src/auth/bearer-auth.guard';
import { WorkerHeartbeatRepository } from '../../libs/persistence/src/repositories/worker-heartbeat.repository';
import { HEARTBEAT_INTERVAL_MS } from '../../libs/persistence/src/worker-heartbeat';
import { createTestApi } from './api';
import { createTestDatabase, TestDatabase } from './database';
import { repoRoot } from './paths';
import { createTimeSkippingEnv } from './time-skipping';
import { listenOnFreePort, within } from './timed-http';
import { createTestWorker, TestWorker } from './worker';

interface StackBase {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  worker: TestWorker;
  /** `http://127.0.0.1:<port>` when started with `listen` (always with `apiProcess`). */
  base: string;
  close(): Promise<void>;
}

export interface ApiStack extends StackBase {
  api: INestApplication;
}

/** The api in a process of its own: tokens are signed here with the secret it was started with. */
export interface ApiProcessStack extends StackBase {
  apiProcess: ChildProcess;
  sign(claims: TokenClaims): Promise<string>;
}

interface StackOptions {
  taskQueue: string;
  env?: Record<string, string>;
  listen?: boolean;
}

/**
 * The whole stack for an api test: time-skipping Temporal, a fresh database, a real worker with the real activities
 * polling `taskQueue` (with the worker app's heartbeat), and the real api (optionally listening on a free port of 127.0.0.1). `close()` bounds the
 * api's and the worker's shutdown, so a wedged api (what a reliability test may find) cannot hang the cleanup.
 * `apiProcess: true` runs the api in a child process (its own event loop, as in production: a load test's worker and
 * test code then do not delay the api's requests), configured by the environment as under `npm start`.
 */
export async function startApiStack(opts: StackOptions & { apiProcess: true }): Promise<ApiProcessStack>;
export async function startApiStack(opts: StackOptions & { apiProcess?: false }): Promise<ApiStack>;
export async function startApiStack(
  opts: StackOptions & { apiProcess?: boolean },
): Promise<ApiStack | ApiProcessStack> {
  const [env, db] = await Promise.all([createTimeSkippingEnv(), createTestDatabase()]);
  const worker = await createTestWorker({
    connection: env.nativeConnection,
    client: env.client,
    databaseUrl: db.url,
    taskQueue: opts.taskQueue,
  });
  const running = worker.worker.run();
  // the worker app's heartbeat (the test worker runs in this process): /health reports the worker up while it runs
  const heartbeats = new WorkerHeartbeatRepository(db);
  await heartbeats.beat(opts.taskQueue);
  const beating = setInterval(() => void heartbeats.beat(opts.taskQueue).catch(() => undefined), HEARTBEAT_INTERVAL_MS);
  beating.unref();
  const apiEnv = {
    TEMPORAL_TASK_QUEUE: opts.taskQueue,
    ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'att-')),
    ...opts.env,
  };
  const closeRest = async () => {
    clearInterval(beating);
    if (worker.worker.getState() === 'RUNNING') worker.worker.shutdown();
    await within(
      running.catch(() => undefined),
      10_000,
    );
    await within(worker.close(), 5_000);
    await env.teardown();
    await db.drop();
  };

  if (opts.apiProcess) {
    const secret = randomBytes(48).toString('base64url');
    const { child, base } = await spawnServer(join(__dirname, 'api-process.ts'), {
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      DATABASE_URL: db.url,
      TEMPORAL_ADDRESS: env.address,
      JWT_SECRET: secret,
      ...apiEnv,
    });
    const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
    return {
      env,
      db,
      worker,
      base,
      apiProcess: child,
      sign: (claims) => jwt.signAsync(claims, { expiresIn: 3600 }),
      close: async () => {
        await stopProcess(child, 10_000);
        await closeRest();
      },
    };
  }

  const api = await createTestApi({ databaseUrl: db.url, temporal: env.client, env: apiEnv });
  const base = opts.listen ? await listenOnFreePort(api) : '';
  return {
    env,
    db,
    api,
    worker,
    base,
    close: async () => {
      await within(api.close(), 10_000);
      await closeRest();
    },
  };
}

/**
 * A TypeScript server script (test/support/api-process.ts, a benchmark's baseline app) in a child `node` (swc hook,
 * no build), configured by `env` alone, once it has reported its port as a `{"port":1234}` line on stdout.
 */
export async function spawnServer(
  file: string,
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [...nodeArgs, ...typeScriptArgs(file)], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not report its port within 60 s`)), 60_000);
    child.once('exit', (code, signal) =>
      reject(new Error(`${file} exited before listening (${signal ?? `code ${code}`})`)),
    );
    lines.on('line', (line) => {
      const m = /^\{"port":(\d+)\}$/.exec(line.trim());
      if (!m) return;
      clearTimeout(timer);
      resolve(Number(m[1]));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { child, base: `http://127.0.0.1:${port}` };
}

/** SIGTERM (the api's shutdown hooks close the pool), SIGKILL if it is still running after `ms`. */
export async function stopProcess(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  if (
    (await within(
      exited.then(() => true),
      ms,
    )) === undefined
  ) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** `node` arguments that run a TypeScript file from the sources (the swc transform Jest uses, no build step). */
export function typeScriptArgs(file: string): string[] {
  return ['-r', join(repoRoot, 'test', 'integration', 'notifications', 'support', 'swc-register.js'), file];
}

/**
 * Runs a TypeScript script in a child `node`: `input` as JSON on its stdin, its last stdout line parsed as the
 * answer. For load generators that must not share the event loop of what they measure.
 */
export async function runTypeScriptChild<T>(file: string, input: unknown, timeoutMs: number): Promise<T> {
  const child = spawn(process.execPath, typeScriptArgs(file), {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stdin!.end(JSON.stringify(input));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.once('close', (c, s) => resolve([c, s])),
  );
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${file} failed (${signal ?? `code ${code}`}); stdout: ${out.slice(-500)}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as T;
}

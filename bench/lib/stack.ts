/**
 * The stack a benchmark run measures on, all real and all in one process tree: embedded PostgreSQL (temp dir),
 * `temporal server start-dev` (.tools/bin/temporal, in-memory SQLite), a real SMTP server (smtp-server), the real api
 * (Nest, listening on 127.0.0.1) and the real worker with its notice delivery (outbox dispatchers and channel task-queue
 * workers, as apps/worker hosts them). Baselines run on the same servers.
 *
 * Against a cluster instead (the docker-compose stack, PostgreSQL-backed Temporal): TEMPORAL_ADDRESS (+
 * TEMPORAL_NAMESPACE, TEMPORAL_METRICS_URL for its Prometheus endpoint) replaces the dev server, and DATABASE_URL
 * names a PostgreSQL server on which each run creates, migrates and finally drops its own database.
 */
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, type Worker } from '@temporalio/worker';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { NoticeDeliveryActivities } from '../../activities/notices/notice-delivery.activities';
import { createNoticeWorkers, type NoticeRunner } from '../../apps/worker/src/notice-workers';
import { workerTuning } from '../../apps/worker/src/worker-tuning';
import { runMigrations } from '../../libs/persistence/src/migrate';
import { createTestApi } from '../../test/support/api';
import { loginAs } from '../../test/support/auth';
import { testConfig } from '../../test/support/env';
import { createTestWorker, type TestWorker } from '../../test/support/worker';
import { startSmtpSink, type SmtpSink } from '../../test/integration/notifications/support/smtp-sink';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmbeddedPostgres, freePort } = require('../../scripts/lib/embedded-pg');
// the dev server's search attributes and dynamic config as `npm start` runs it
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SEARCH_ATTRIBUTES, DYNAMIC_CONFIG } = require('../../scripts/lib/temporal-dev') as {
  SEARCH_ATTRIBUTES: string[];
  DYNAMIC_CONFIG: string[];
};

export const root = resolve(__dirname, '..', '..');
export const TASK_QUEUE = 'bench';

export interface Stack {
  pgUrl: string;
  /** Prometheus endpoints: the Temporal server's (when known) and the SDK runtime's of this process. */
  metrics: { server?: string; sdk: string };
  sql: PgClient;
  env: TestWorkflowEnvironment;
  smtp: SmtpSink;
  api: INestApplication;
  apiUrl: string;
  token: string;
  worker: TestWorker;
  settings: BenchSettings;
  stop(): Promise<void>;
}

export interface BenchSettings {
  emailRate: number;
  smtpConnections: number;
  noticeConcurrency: number;
}

let bundlePath: string | undefined;

async function workflowBundle(): Promise<string> {
  if (bundlePath) return bundlePath;
  const quiet = { info() {}, debug() {}, trace() {}, log() {}, warn() {}, error: console.error };
  const { code } = await bundleWorkflowCode({
    workflowsPath: join(root, 'workflows', 'index.ts'),
    logger: quiet as never,
  });
  bundlePath = join(mkdtempSync(join(tmpdir(), 'bench-bundle-')), 'workflows.js');
  writeFileSync(bundlePath, code);
  return bundlePath;
}

export async function startStack(settings: BenchSettings): Promise<Stack> {
  const sdkMetricsPort = await freePort();
  Runtime.install({
    logger: {
      log() {},
      trace() {},
      debug() {},
      info() {},
      warn() {},
      error: (m: string) => process.stderr.write(`${m}\n`),
    } as never,
    telemetryOptions: { metrics: { prometheus: { bindAddress: `127.0.0.1:${sdkMetricsPort}` } } },
  });
  process.env.TEST_WORKFLOW_BUNDLE = await workflowBundle();
  const work = mkdtempSync(join(tmpdir(), 'bench-'));
  const pg = process.env.DATABASE_URL
    ? await throwAwayDatabase(process.env.DATABASE_URL)
    : await startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort(), persistent: false });
  await runMigrations(pg.url);
  const sql = new PgClient({ connectionString: pg.url });
  await sql.connect();
  const smtp = await startSmtpSink();
  const serverMetricsPort = await freePort();
  const env = process.env.TEMPORAL_ADDRESS
    ? await TestWorkflowEnvironment.createFromExistingServer({
        address: process.env.TEMPORAL_ADDRESS,
        namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      })
    : await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: join(root, '.tools', 'bin', 'temporal') },
          ip: '127.0.0.1',
          searchAttributes: SEARCH_ATTRIBUTES.map((sa) => {
            const [name, type] = sa.split('=');
            if (type !== 'Keyword') throw new Error(`bench: search attribute ${sa}: only Keyword is mapped here`);
            return defineSearchAttributeKey(name, SearchAttributeType.KEYWORD);
          }),
          extraArgs: [
            '--metrics-port',
            String(serverMetricsPort),
            ...DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
          ],
        },
      });
  const metrics = {
    server: process.env.TEMPORAL_ADDRESS
      ? process.env.TEMPORAL_METRICS_URL
      : `http://127.0.0.1:${serverMetricsPort}/metrics`,
    sdk: `http://127.0.0.1:${sdkMetricsPort}/metrics`,
  };
  const appEnv = {
    TEMPORAL_TASK_QUEUE: TASK_QUEUE,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: env.namespace ?? 'default',
    DATABASE_POOL_SIZE: '20',
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtp.port),
    SMTP_MAX_CONNECTIONS: String(settings.smtpConnections),
    NOTICE_RATE_EMAIL: String(settings.emailRate),
    NOTICE_WORKER_CONCURRENCY: String(settings.noticeConcurrency),
    // Worker tuning from the environment, e.g. WORKER_STICKY_QUEUE_TIMEOUT=10s npm run bench (the SDK's default).
    ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('WORKER_'))),
  };
  const api = await createTestApi({ databaseUrl: pg.url, temporal: env.client, env: appEnv });
  await api.listen(0, '127.0.0.1');
  const apiUrl = `http://127.0.0.1:${(api.getHttpServer().address() as AddressInfo).port}`;
  const token = (await loginAs(api, 'office_admin')).token;
  const workerOptions = workerTuning(testConfig({ DATABASE_URL: pg.url, ...appEnv }));
  const worker = await createTestWorker({
    connection: env.nativeConnection,
    client: env.client,
    databaseUrl: pg.url,
    taskQueue: TASK_QUEUE,
    namespace: env.namespace,
    env: appEnv,
    workerOptions,
  });
  const noticeWorkers = await createNoticeWorkers({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    baseTaskQueue: TASK_QUEUE,
    config: worker.nest.get(ConfigService),
    activities: worker.nest.get(NoticeDeliveryActivities, { strict: false }),
    log: { warn: (m) => process.stderr.write(`[notice] ${m}\n`) },
  });
  const workers: (Worker | NoticeRunner)[] = [worker.worker, ...noticeWorkers];
  const running = Promise.all(workers.map((w) => w.run()));
  return {
    pgUrl: pg.url,
    metrics,
    sql,
    env,
    smtp,
    api,
    apiUrl,
    token,
    worker,
    settings,
    async stop() {
      await api.close();
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await running.catch(() => undefined);
      await worker.close();
      await env.teardown();
      await smtp.close();
      await sql.end();
      await pg.stop();
    },
  };
}

/** A fresh database on the given server (DATABASE_URL), dropped by stop(): runs never see each other's rows. */
async function throwAwayDatabase(serverUrl: string): Promise<{ url: string; stop(): Promise<void> }> {
  const name = `bench_${randomBytes(4).toString('hex')}`;
  const admin = async (statement: string) => {
    const c = new PgClient({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), stop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** An HTTP call to the api as the office admin; throws on a non-2xx answer. */
export async function call(stack: Stack, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${stack.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Polls `probe` every 100 ms until it holds; returns the elapsed ms since `since`. */
export async function until(
  what: string,
  probe: () => Promise<boolean>,
  since: number,
  timeoutMs: number,
): Promise<number> {
  for (;;) {
    if (await probe()) return Date.now() - since;
    if (Date.now() - since > timeoutMs) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function count(stack: Stack, sqlText: string, params: unknown[] = []): Promise<number> {
  const { rows } = await stack.sql.query(`SELECT count(*)::int AS n FROM ${sqlText}`, params);
  return rows[0].n;
}

/** Runs `fn` over `items` with at most `width` calls in flight. */
export async function inFlight<T>(items: T[], width: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

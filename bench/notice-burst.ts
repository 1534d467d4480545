/**
 * Benchmark (not a test): 2,000 units share one deadline, so 2,000 due notices fall due at the same instant.
 * Measures that every e-mail goes out, none twice, and no faster than NOTICE_RATE_EMAIL (Temporal task-queue rate
 * limit on `<queue>-notices-email`), with inbox deliveries on their own queue and rate alongside.
 *
 * Self-contained: embedded PostgreSQL (temp dir), `temporal server start-dev` (.tools/bin/temporal), a real SMTP
 * server (smtp-server) on 127.0.0.1, and in this process the real workers: workflows + the five notice workers.
 *
 *   node -r ./test/integration/notifications/support/swc-register.js bench/notice-burst.ts
 *   BENCH_UNITS=2000 NOTICE_RATE_EMAIL=50 node -r ./test/integration/notifications/support/swc-register.js bench/notice-burst.ts
 */
import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, Worker } from '@temporalio/worker';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { NoticeDeliveryActivities } from '../activities/notices/notice-delivery.activities';
import { planNoticeDeliveries } from '../activities/notices/plan-deliveries';
import type { PlannedDelivery } from '../activities/notices/notice-delivery.contract';
import { createNoticeWorkers } from '../apps/worker/src/notice-workers';
import { validateEnv, type Env } from '../libs/config/src/env.schema';
import { dataSourceOptions } from '../libs/persistence/src/data-source-options';
import { runMigrations } from '../libs/persistence/src/migrate';
import { startSmtpSink } from '../test/integration/notifications/support/smtp-sink';
import { plan } from '../test/integration/notifications/support/seed';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmbeddedPostgres, freePort } = require('../scripts/lib/embedded-pg');

const root = resolve(__dirname, '..');
const UNITS = Number(process.env.BENCH_UNITS ?? 2000);
const RATE = Number(process.env.NOTICE_RATE_EMAIL ?? 50);
const QUEUE = 'bench-notices';
const log = (m: string) => process.stdout.write(`[notice-burst] ${m}\n`);

async function main() {
  Runtime.install({ logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => process.stderr.write(`${m}\n`) } as any });
  const work = mkdtempSync(join(tmpdir(), 'notice-burst-'));
  const pg = await startEmbeddedPostgres({ dir: join(work, 'pg'), port: await freePort(), persistent: false });
  await runMigrations(pg.url);
  const db = await new DataSource(dataSourceOptions(pg.url, 20)).initialize();
  const smtp = await startSmtpSink();
  const env = await TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: join(root, '.tools', 'bin', 'temporal') }, ip: '127.0.0.1' } });
  try {
    const config = new ConfigService<Env, true>(
      validateEnv({
        NODE_ENV: 'test', DATABASE_URL: pg.url, DATABASE_POOL_SIZE: '20', TEMPORAL_ADDRESS: env.address, TEMPORAL_TASK_QUEUE: QUEUE,
        SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtp.port), NOTICE_RATE_EMAIL: String(RATE), NOTICE_WORKER_CONCURRENCY: '8',
      }) as unknown as Record<string, unknown>,
    );

    log(`seeding ${UNITS} units with one shared deadline`);
    const due = '2026-06-30T09:00:00.000Z';
    await db.query(`INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES (gen_random_uuid(), 'bench', 1, 'bench', '{}', 'x', 'builtin')`);
    await db.query(
      `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
       SELECT '00000000-0000-4000-8000-000000000001', '2026 创先争优', id, 'bench', 1, now(), 'Asia/Shanghai', 'running', '{}', 'bench', 'bench', $1 FROM campaign_template`,
      [UNITS],
    );
    await db.query(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ('00000000-0000-4000-8000-000000000001', 'school', $1)`, [JSON.stringify(plan())]);
    await db.query(
      `INSERT INTO unit (id, code, name, kind, secretary_name, email)
       SELECT gen_random_uuid(), 'U' || lpad(i::text, 5, '0'), '第' || i || '支部', 'school', '书记' || i, 'u' || i || '@bench.example.cn' FROM generate_series(1, $1) i`,
      [UNITS],
    );
    await db.query(
      `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status)
       SELECT '00000000-0000-4000-8000-000000000001', id, row_number() OVER (ORDER BY code), 'school', 'w-' || id, 'running' FROM unit`,
    );
    await db.query(
      `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at)
       SELECT 'bench|' || id, '00000000-0000-4000-8000-000000000001', id, 'study-research', 'due', 0, 0, 'unit', $1, $1 FROM unit`,
      [due],
    );
    const notices: { id: string }[] = await db.query(`SELECT id FROM notice ORDER BY id`);
    const deliveries: PlannedDelivery[] = [];
    const t0 = Date.now();
    for (const n of notices) deliveries.push(...(await db.transaction((tx) => planNoticeDeliveries(tx, String(n.id)))));
    log(`planned ${deliveries.length} deliveries for ${notices.length} notices in ${Date.now() - t0} ms`);

    const activities = new NoticeDeliveryActivities(db, config);
    const { code } = await bundleWorkflowCode({ workflowsPath: join(root, 'workflows', 'index.ts'), logger: { info() {}, debug() {}, trace() {}, log() {}, warn() {}, error: console.error } as any });
    const workflowWorker = await Worker.create({ connection: env.nativeConnection, taskQueue: QUEUE, workflowBundle: { code }, maxConcurrentWorkflowTaskExecutions: 50 });
    const noticeWorkers = await createNoticeWorkers({ connection: env.nativeConnection, namespace: 'default', baseTaskQueue: QUEUE, config, activities });
    const workers = [workflowWorker, ...noticeWorkers];
    const running = workers.map((w) => w.run());

    // The burst: every delivery's workflow is started at once (as 2,000 unit workflows would at the same due instant).
    const started = Date.now();
    const handles = [];
    for (let i = 0; i < deliveries.length; i += 200) {
      handles.push(
        ...(await Promise.all(
          deliveries.slice(i, i + 200).map((d) => env.client.workflow.start('noticeDeliveryWorkflow', { taskQueue: QUEUE, workflowId: `burst/${d.deliveryId}`, args: [d] })),
        )),
      );
    }
    log(`started ${handles.length} delivery workflows in ${Date.now() - started} ms; waiting for all results`);
    const results = [];
    for (const h of handles) results.push(((await h.result()) as { status: string }).status);
    const finished = Date.now();

    const emails = smtp.messages;
    const ids = new Set(emails.map((m) => m.messageId));
    const first = Math.min(...emails.map((m) => m.receivedAt));
    const last = Math.max(...emails.map((m) => m.receivedAt));
    const perSecond = new Map<number, number>();
    for (const m of emails) perSecond.set(Math.floor((m.receivedAt - first) / 1000), (perSecond.get(Math.floor((m.receivedAt - first) / 1000)) ?? 0) + 1);
    const peak = Math.max(...perSecond.values());
    const [{ sent }] = await db.query(`SELECT count(*)::int AS sent FROM notice_delivery WHERE status = 'sent'`);
    const [{ inbox }] = await db.query(`SELECT count(*)::int AS inbox FROM inbox_message`);
    const summary = {
      units: UNITS,
      deliveries: deliveries.length,
      results: results.reduce<Record<string, number>>((acc, s) => ((acc[s] = (acc[s] ?? 0) + 1), acc), {}),
      emailsReceived: emails.length,
      distinctMessageIds: ids.size,
      inboxMessages: inbox,
      rowsSent: sent,
      configuredEmailRatePerSecond: RATE,
      emailSpanSeconds: +((last - first) / 1000).toFixed(1),
      effectiveEmailRatePerSecond: +(emails.length / ((last - first) / 1000)).toFixed(1),
      peakEmailsInOneSecond: peak,
      totalSeconds: +((finished - started) / 1000).toFixed(1),
    };
    log(JSON.stringify(summary, null, 2));
    const ok = emails.length === UNITS && ids.size === UNITS && inbox === UNITS && results.every((r) => r === 'sent');
    log(ok ? 'OK: every notice delivered exactly once' : 'FAILED: see counts above');
    process.exitCode = ok ? 0 : 1;
    for (const w of workers) w.shutdown();
    await Promise.all(running);
  } finally {
    await env.teardown();
    await smtp.close();
    await db.destroy();
    await pg.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});

import { TestWorkflowEnvironment } from '@temporalio/testing';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { PlannedDelivery } from '../../../activities/notices/notice-delivery.contract';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { repoRoot, temporalCliBin } from '../../support/paths';
import { createTestWorker, type TestWorker } from '../../support/worker';
import { startHttpReceiver, type HttpReceiver } from './support/http-receiver';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { DUE_AT, recordTestNotice, seedCampaign, type Seeded } from './support/seed';
import { eventually } from '../../support/eventually';

const TASK_QUEUE = 'notices-kill';
const here = join(repoRoot, 'test', 'integration', 'notifications', 'support');

/**
 * Exactly once across a crash, with a REAL worker process: notice delivery runs in a child `node` process and is
 * SIGKILLed (NOTICE_FAULT_INJECTION) in the middle of an e-mail delivery, then started again. Two roads: the outbox
 * dispatcher (what sends every new notice: the restarted process claims what is still pending), and deliverNotice on
 * the channel task queue for runs recorded before it (Temporal, dev server in real time, times the attempt out and
 * retries it on the restarted worker).
 */
describe('exactly-once e-mail delivery across a worker crash (dev server, child worker process, real SMTP server)', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let smtp: SmtpSink;
  let http: HttpReceiver;
  let workflows: TestWorker;
  let running: Promise<void>;
  let s: Seeded;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    [env, db, smtp, http] = await Promise.all([
      TestWorkflowEnvironment.createLocal({
        server: { executable: { type: 'existing-path', path: temporalCliBin }, ip: '127.0.0.1' },
      }),
      createTestDatabase(),
      startSmtpSink(),
      startHttpReceiver(),
    ]);
    // Workflows run in this process; deliverNotice only in the child process (the channel task queues).
    workflows = await createTestWorker({
      connection: env.nativeConnection,
      client: env.client,
      databaseUrl: db.url,
      taskQueue: TASK_QUEUE,
      env: { NOTICE_WORKERS: 'false' },
    });
    running = workflows.worker.run();
    s = await seedCampaign(db.dataSource, {
      wecom: `${http.base}/w`,
      dingtalk: `${http.base}/d`,
      webhook: `${http.base}/h`,
    });
  }, 180_000);

  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (workflows?.worker.getState() === 'RUNNING') workflows.worker.shutdown();
    await running?.catch(() => undefined);
    await workflows?.close();
    await env?.teardown();
    await Promise.all([smtp?.close(), http?.close()]);
    await db?.drop();
  });

  /** Starts the worker process; resolves once it polls. */
  async function startWorkerProcess(
    fault: 'off' | 'kill-after-commit' | 'kill-before-commit',
    road: 'dispatcher' | 'activity' = 'activity',
  ): Promise<ChildProcess> {
    const proc = spawn(
      process.execPath,
      ['-r', join(here, 'swc-register.js'), join(here, 'notice-worker-process.ts')],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH,
          NODE_ENV: 'test',
          LOG_LEVEL: 'silent',
          DATABASE_URL: db.url,
          TEMPORAL_ADDRESS: env.address,
          TEMPORAL_TASK_QUEUE: TASK_QUEUE,
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(smtp.port),
          MAIL_FROM: 'office@campaigns.local',
          PUBLIC_BASE_URL: 'https://campaigns.example.cn',
          NOTICE_FAULT_INJECTION: fault,
          OUTBOUND_ALLOW_HOSTS: '127.0.0.1',
          NOTICE_DISPATCH: String(road === 'dispatcher'),
          NOTICE_WORKERS: String(road === 'activity'),
          // one e-mail in flight at a time, so the kill interrupts exactly one delivery
          NOTICE_WORKER_CONCURRENCY: '1',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    proc.stderr!.on('data', (c) => (stderr += c));
    await new Promise<void>((resolve, reject) => {
      proc.stdout!.on('data', (c) => String(c).includes('notice-worker-ready') && resolve());
      proc.on('exit', (code, signal) =>
        reject(new Error(`worker process exited early (${code ?? signal}): ${stderr}`)),
      );
    });
    child = proc;
    return proc;
  }

  const exited = (proc: ChildProcess) =>
    new Promise<NodeJS.Signals | number | null>((resolve) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.signalCode ?? proc.exitCode);
      proc.on('exit', (code, signal) => resolve(signal ?? code));
    });

  async function stop(proc: ChildProcess) {
    proc.kill('SIGTERM');
    await exited(proc);
  }

  const start = (d: PlannedDelivery, id: string) =>
    env.client.workflow.start('noticeDeliveryWorkflow', {
      taskQueue: TASK_QUEUE,
      workflowId: id,
      // The killed attempt is retried when its start-to-close timeout (4 s) expires, then after 1 s.
      args: [{ ...d, startToCloseTimeoutMs: 4_000, retryInitialIntervalMs: 1_000 }],
    });
  const row = (id: string) =>
    db.query(`SELECT status, attempts, message_id FROM notice_delivery WHERE id = $1`, [id]).then((r) => r[0]);

  /** The e-mail rows of a notice, once none of them is pending any more. */
  function settledEmails(noticeId: string) {
    return eventually(
      (): Promise<{ id: string; status: string; attempts: number; message_id: string; address: string }[]> =>
        db.query(
          `SELECT id, status, attempts, message_id, address FROM notice_delivery WHERE notice_id = $1 AND channel = 'email' ORDER BY address`,
          [noticeId],
        ),
      (rows) => rows.every((r) => r.status !== 'pending'),
      30_000,
    );
  }

  /** A dispatcher started with `fault` dies by SIGKILL having handed exactly one e-mail to SMTP; returns that e-mail. */
  async function killedAfterOneEmail(fault: 'kill-after-commit' | 'kill-before-commit', before: number) {
    const first = await startWorkerProcess(fault, 'dispatcher');
    expect(await exited(first)).toBe('SIGKILL');
    expect(smtp.messages.length - before).toBe(1);
    return smtp.messages[before];
  }

  /** A healthy dispatcher sends what is left: every e-mail row of the notice ends sent, each on one attempt. */
  async function restartUntilSent(noticeId: string) {
    const second = await startWorkerProcess('off', 'dispatcher');
    const rows = await settledEmails(noticeId);
    await stop(second);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ['sent', 1],
      ['sent', 1],
      ['sent', 1],
    ]);
  }

  describe('the outbox dispatcher', () => {
    it('killed after SMTP accepted and PostgreSQL committed: the restarted dispatcher sends the others, that one never again', async () => {
      const before = smtp.messages.length;
      const { noticeId } = await recordTestNotice(db.dataSource, s, {
        kind: 'due',
        audience: 'unit',
        occurrence: 10,
        scheduledFor: DUE_AT,
      });
      const ids: string[] = (
        await db.query(`SELECT message_id FROM notice_delivery WHERE notice_id = $1 AND channel = 'email'`, [noticeId])
      ).map((r) => r.message_id);
      expect(ids).toHaveLength(3);

      // The crash came after both facts: the message is at the SMTP server and its row says sent.
      const killed = await killedAfterOneEmail('kill-after-commit', before);
      expect(
        (await db.query(`SELECT status, attempts FROM notice_delivery WHERE message_id = $1`, [killed.messageId]))[0],
      ).toEqual({ status: 'sent', attempts: 1 });

      await restartUntilSent(noticeId);
      const mails = smtp.messages.slice(before);
      expect(mails.map((m) => m.messageId).sort()).toEqual([...ids].sort()); // three messages, each once
      expect(mails.filter((m) => m.messageId === killed.messageId)).toHaveLength(1);
    });

    it('killed after SMTP accepted but BEFORE the commit: the restarted dispatcher resends it with the SAME Message-ID and text', async () => {
      const before = smtp.messages.length;
      const { noticeId } = await recordTestNotice(db.dataSource, s, {
        kind: 'due',
        audience: 'unit',
        occurrence: 11,
        scheduledFor: DUE_AT,
      });
      const killed = await killedAfterOneEmail('kill-before-commit', before);
      // The transaction died with the process: PostgreSQL still says pending.
      expect(
        (await db.query(`SELECT status, attempts FROM notice_delivery WHERE message_id = $1`, [killed.messageId]))[0],
      ).toEqual({ status: 'pending', attempts: 0 });

      await restartUntilSent(noticeId);
      const copies = smtp.messages.slice(before).filter((m) => m.messageId === killed.messageId);
      expect(copies).toHaveLength(2);
      expect(copies[1].subject).toBe(copies[0].subject);
      expect(copies[1].text).toBe(copies[0].text);
      expect(smtp.messages.length - before).toBe(4); // the other two once each
    });
  });

  describe('deliverNotice on the channel task queue (runs recorded before the dispatcher)', () => {
    it('killed after SMTP accepted and PostgreSQL committed: the retried activity sends nothing; exactly ONE message', async () => {
      const before = smtp.messages.length;
      const { deliveries } = await recordTestNotice(db.dataSource, s, {
        kind: 'due',
        audience: 'unit',
        scheduledFor: DUE_AT,
      });
      const d = deliveries.find((x) => x.channel === 'email')!;
      const { message_id: messageId } = await row(d.deliveryId);

      const first = await startWorkerProcess('kill-after-commit');
      const handle = await start(d, `kill-after-${d.deliveryId}`);
      expect(await exited(first)).toBe('SIGKILL');
      // The crash came after both facts: the message is at the SMTP server and the row says sent.
      expect(smtp.messages.filter((m) => m.messageId === messageId)).toHaveLength(1);
      expect(await row(d.deliveryId)).toMatchObject({ status: 'sent', attempts: 1 });

      const second = await startWorkerProcess('off');
      expect(await handle.result()).toEqual({ status: 'already-sent' });
      await stop(second);

      expect(smtp.messages.filter((m) => m.messageId === messageId)).toHaveLength(1);
      expect(smtp.messages.length - before).toBe(1);
      expect(smtp.messages[before].to).toEqual([
        (await db.query(`SELECT address FROM notice_delivery WHERE id = $1`, [d.deliveryId]))[0].address,
      ]);
      // Temporal did retry: the result came from attempt 2.
      const started = (await handle.fetchHistory()).events!.find((e) => e.activityTaskStartedEventAttributes)!;
      expect(started.activityTaskStartedEventAttributes!.attempt).toBe(2);
    });

    it('killed after SMTP accepted but BEFORE the commit: the retry resends with the SAME Message-ID (receivers dedupe on it)', async () => {
      const before = smtp.messages.length;
      const { deliveries } = await recordTestNotice(db.dataSource, s, {
        kind: 'due',
        audience: 'unit',
        occurrence: 1,
        scheduledFor: DUE_AT,
      });
      const d = deliveries.find((x) => x.channel === 'email')!;
      const { message_id: messageId } = await row(d.deliveryId);

      const first = await startWorkerProcess('kill-before-commit');
      const handle = await start(d, `kill-before-${d.deliveryId}`);
      expect(await exited(first)).toBe('SIGKILL');
      expect(smtp.messages.slice(before).map((m) => m.messageId)).toEqual([messageId]);
      // The transaction died with the process: PostgreSQL still says pending.
      expect(await row(d.deliveryId)).toMatchObject({ status: 'pending', attempts: 0 });

      const second = await startWorkerProcess('off');
      expect(await handle.result()).toEqual({ status: 'sent' });
      await stop(second);

      const copies = smtp.messages.slice(before);
      expect(copies.map((m) => m.messageId)).toEqual([messageId, messageId]);
      expect(copies[1].subject).toBe(copies[0].subject);
      expect(copies[1].text).toBe(copies[0].text);
      expect(await row(d.deliveryId)).toMatchObject({ status: 'sent', attempts: 1 });
    });
  });
});

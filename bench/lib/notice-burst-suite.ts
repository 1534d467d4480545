/**
 * The notice burst's two measurements, on a running stack: the bare pooled nodemailer loop (what e-mail costs at
 * least, over the same SMTP server and connection count) and the burst itself — every unit's step due at one instant,
 * its due notice through the real path (unit workflow timer → recordNotice → outbox dispatcher at the configured
 * rate → pooled SMTP), until every unit's e-mail has arrived.
 */
import nodemailer from 'nodemailer';
import { DataSource } from 'typeorm';
import { planNoticeDeliveries } from '../../libs/notifications/src/planning/plan-deliveries';
import { count, percentile, until, type Stack } from './stack';

export interface BurstFigures {
  bareMailPerSec: number;
  emails: number;
  distinctMessageIds: number;
  inboxMessages: number;
  emailPerSec: number;
  emailPeakInOneSecond: number;
  smtpSessions: number;
  reminderLagP50Ms: number;
  reminderLagP99Ms: number;
  /** How fast Temporal produced the notices: recordNotice commits per second, first → last (unit timer → workflow task → recordNotice: a local activity inside that task for runs with the patch). */
  noticesRecordedPerSec: number;
  /** Due instant → notice (and its outbox rows) committed, p99: the part of the lag that is Temporal's. */
  recordLagP99Ms: number;
}

/** Sends `n` messages as fast as a pooled transport over `smtpConnections` connections can; e-mails per second. */
export async function bareMailLoop(stack: Stack, n: number): Promise<number> {
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: stack.settings.smtpConnections,
    maxMessages: 1000,
    host: '127.0.0.1',
    port: stack.smtp.port,
    secure: false,
  });
  const t = Date.now();
  await Promise.all(
    Array.from({ length: n }, (_, i) =>
      transport.sendMail({
        from: 'office@bench.example.cn',
        to: `u${i}@bench.example.cn`,
        subject: `bare ${i}`,
        text: '提醒',
        textEncoding: 'base64',
      }),
    ),
  );
  const perSec = +(n / ((Date.now() - t) / 1000)).toFixed(1);
  transport.close();
  stack.smtp.messages.length = 0;
  return perSec;
}

/**
 * Waits for `units` e-mails of the burst due at `dueMs` and measures them: rate over the span first → last, the
 * busiest second, SMTP sessions opened, and the lag due instant → accepted by the SMTP server. Call after
 * `bareMailLoop` (which empties the sink) and before the due instant.
 */
export async function measureBurst(
  stack: Stack,
  units: number,
  dueMs: number,
  sessionsBefore: number,
  log?: (m: string) => void,
): Promise<Omit<BurstFigures, 'bareMailPerSec'>> {
  const report = async () => {
    const { rows } = await stack.sql.query(
      `SELECT (SELECT count(*)::int FROM notice WHERE kind = 'due') AS notices,
              (SELECT count(*)::int FROM notice_delivery WHERE channel = 'email' AND status = 'pending') AS pending,
              (SELECT count(*)::int FROM notice_delivery WHERE channel = 'email' AND attempts > 0 AND status <> 'sent') AS failing`,
    );
    log?.(
      `  ${rows[0].notices} notices recorded, ${rows[0].pending} e-mails pending (${rows[0].failing} after a failed attempt), ${stack.smtp.messages.length} received`,
    );
  };
  // progress lines only: a failed count is no reason to stop the burst
  const progress = setInterval(() => void report().catch(() => undefined), 15_000);
  try {
    // A burst that does not finish in time is reported as it stands (fewer e-mails), not a reason to drop the run.
    await until(
      'every e-mail',
      async () => stack.smtp.messages.length >= units,
      Date.now(),
      dueMs - Date.now() + (3 * units * 1000) / stack.settings.emailRate + 120_000,
    ).catch((error: Error) => log?.(`WARNING: ${error.message}; ${stack.smtp.messages.length} e-mails so far`));
  } finally {
    clearInterval(progress);
  }
  await new Promise((r) => setTimeout(r, 2000)); // a duplicate would arrive now
  const mails = stack.smtp.messages;
  const received = mails.map((m) => m.receivedAt);
  const first = Math.min(...received);
  const last = Math.max(...received);
  const perSecond = new Map<number, number>();
  for (const r of received)
    perSecond.set(Math.floor((r - first) / 1000), (perSecond.get(Math.floor((r - first) / 1000)) ?? 0) + 1);
  const created: number[] = (await stack.sql.query(`SELECT created_at FROM notice WHERE kind = 'due'`)).rows.map((r) =>
    r.created_at.getTime(),
  );
  return {
    emails: mails.length,
    distinctMessageIds: new Set(mails.map((m) => m.messageId)).size,
    inboxMessages: await count(stack, 'inbox_message'),
    emailPerSec: +((mails.length - 1) / ((last - first) / 1000)).toFixed(2),
    emailPeakInOneSecond: Math.max(...perSecond.values()),
    smtpSessions: stack.smtp.connections - sessionsBefore,
    reminderLagP50Ms: percentile(
      received.map((r) => r - dueMs),
      50,
    ),
    reminderLagP99Ms: percentile(
      received.map((r) => r - dueMs),
      99,
    ),
    noticesRecordedPerSec: +((created.length - 1) / ((Math.max(...created) - Math.min(...created)) / 1000)).toFixed(2),
    recordLagP99Ms: percentile(
      created.map((c) => c - dueMs),
      99,
    ),
  };
}

/**
 * The outbox dispatcher alone, without Temporal in front: `n` due notices recorded at once (each in its own
 * transaction, as recordNotice does, NOTIFY at COMMIT) for the units of the burst's cycle, then the e-mail rate until all `n` have
 * arrived — what the configured rate looks like when the notices already exist.
 */
export async function drainFigures(
  stack: Stack,
  n: number,
  cycleId: string,
): Promise<{ drainEmailPerSec: number; drainPeakInOneSecond: number }> {
  stack.smtp.messages.length = 0;
  const dataSource = stack.worker.nest.get(DataSource);
  await stack.sql.query(
    `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at)
     SELECT 'drain|' || cu.unit_id, cu.cycle_id, cu.unit_id, 'report', 'due', 99, 0, 'unit', now(), now()
       FROM cycle_unit cu WHERE cu.cycle_id = $2 ORDER BY cu.ordinal LIMIT $1`,
    [n, cycleId],
  );
  const ids: string[] = (
    await stack.sql.query(`SELECT id FROM notice WHERE dedupe_key LIKE 'drain|%' ORDER BY id`)
  ).rows.map((r) => String(r.id));
  for (const id of ids) await dataSource.transaction((tx) => planNoticeDeliveries(tx, id));
  await until(
    'drained',
    async () => stack.smtp.messages.length >= ids.length,
    Date.now(),
    (3 * ids.length * 1000) / stack.settings.emailRate + 60_000,
  );
  const received = stack.smtp.messages.map((m) => m.receivedAt);
  const first = Math.min(...received);
  const perSecond = new Map<number, number>();
  for (const r of received)
    perSecond.set(Math.floor((r - first) / 1000), (perSecond.get(Math.floor((r - first) / 1000)) ?? 0) + 1);
  return {
    drainEmailPerSec: +((received.length - 1) / ((Math.max(...received) - first) / 1000)).toFixed(2),
    drainPeakInOneSecond: Math.max(...perSecond.values()),
  };
}

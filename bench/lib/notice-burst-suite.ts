/**
 * The notice burst's two measurements, on a running stack: the bare pooled nodemailer loop (what e-mail costs at
 * least, over the same SMTP server and connection count) and the burst itself — every unit's step due at one instant,
 * its due notice through the real path (unit workflow timer → recordNotice → outbox dispatcher at the configured
 * rate → pooled SMTP), until every unit's e-mail has arrived.
 */
import nodemailer from 'nodemailer';
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
}

/** Sends `n` messages as fast as a pooled transport over `smtpConnections` connections can; e-mails per second. */
export async function bareMailLoop(stack: Stack, n: number): Promise<number> {
  const transport = nodemailer.createTransport({ pool: true, maxConnections: stack.settings.smtpConnections, maxMessages: 1000, host: '127.0.0.1', port: stack.smtp.port, secure: false });
  const t = Date.now();
  await Promise.all(Array.from({ length: n }, (_, i) => transport.sendMail({ from: 'office@bench.example.cn', to: `u${i}@bench.example.cn`, subject: `bare ${i}`, text: '提醒', textEncoding: 'base64' })));
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
export async function measureBurst(stack: Stack, units: number, dueMs: number, sessionsBefore: number): Promise<Omit<BurstFigures, 'bareMailPerSec'>> {
  await until('every e-mail', async () => stack.smtp.messages.length >= units, Date.now(), dueMs - Date.now() + (3 * units * 1000) / stack.settings.emailRate + 120_000);
  await new Promise((r) => setTimeout(r, 2000)); // a duplicate would arrive now
  const mails = stack.smtp.messages;
  const received = mails.map((m) => m.receivedAt);
  const first = Math.min(...received);
  const last = Math.max(...received);
  const perSecond = new Map<number, number>();
  for (const r of received) perSecond.set(Math.floor((r - first) / 1000), (perSecond.get(Math.floor((r - first) / 1000)) ?? 0) + 1);
  return {
    emails: mails.length,
    distinctMessageIds: new Set(mails.map((m) => m.messageId)).size,
    inboxMessages: await count(stack, 'inbox_message'),
    emailPerSec: +((mails.length - 1) / ((last - first) / 1000)).toFixed(2),
    emailPeakInOneSecond: Math.max(...perSecond.values()),
    smtpSessions: stack.smtp.connections - sessionsBefore,
    reminderLagP50Ms: percentile(received.map((r) => r - dueMs), 50),
    reminderLagP99Ms: percentile(received.map((r) => r - dueMs), 99),
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { UnitContact } from '../entities/unit.entity';
import { Db } from '../db';
import { affected, type Queryable } from '../queryable';
import type { EntityManager } from 'typeorm';

export type DeliveryChannel = 'email' | 'wecom' | 'dingtalk' | 'webhook' | 'inbox';
export type DeliveryStatus = 'pending' | 'sent' | 'muted' | 'dead';

/** A notice_delivery row: one outbox entry (recipient × channel) of one notice. */
export interface NoticeDeliveryRow {
  id: string;
  dedupe_key: string;
  notice_id: string;
  channel: DeliveryChannel | 'none';
  recipient_unit_id: string | null;
  recipient_name: string;
  address: string;
  recipient: UnitContact;
  locale: 'zh-CN' | 'en';
  critical: boolean;
  message_id: string;
  status: DeliveryStatus;
  not_before: Date | null;
  next_attempt_at: Date;
  attempts: number;
  last_error: string | null;
  subject: string | null;
  body: string | null;
  sent_at: Date | null;
  dead_at: Date | null;
}

/** One row to insert, as planned from a notice's recipients. */
export interface PlannedDeliveryRow {
  id: string;
  dedupeKey: string;
  noticeId: string;
  channel: DeliveryChannel;
  recipientUnitId: string | null;
  recipientName: string;
  address: string;
  recipient: UnitContact;
  locale: 'zh-CN' | 'en';
  critical: boolean;
  messageId: string;
  status: 'pending' | 'muted';
  /** Quiet hours: not sent before this instant (also the row's first next_attempt_at). */
  notBefore: Date | null;
}

export interface PendingDeliveryRow {
  id: string;
  channel: DeliveryChannel;
}

/** The PostgreSQL channel the outbox dispatchers LISTEN on; the payload is the delivery channel with new work. */
export const OUTBOX_NOTIFY_CHANNEL = 'notice_outbox';
/** Run on the dispatchers' own listening connection (not a pooled one: it must stay open to hear). */
export const OUTBOX_LISTEN_SQL = `LISTEN ${OUTBOX_NOTIFY_CHANNEL}`;

/**
 * Every statement on the notice outbox (notice_delivery, and inbox_message written with it) of the worker and the
 * api. Claims and marks run inside the caller's transaction: the row lock is what makes a delivery exactly-once.
 */
@Injectable()
export class NoticeDeliveryRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** On a transaction opened elsewhere (recordNotice's, an api service's). */
  static on(manager: EntityManager): NoticeDeliveryRepository {
    return new NoticeDeliveryRepository(manager);
  }

  /** The row, locked until the transaction ends; waits for another holder of the lock. */
  async lock(id: string): Promise<NoticeDeliveryRow | undefined> {
    return (await this.db.query<NoticeDeliveryRow>(`SELECT * FROM notice_delivery WHERE id = $1 FOR UPDATE`, [id]))[0];
  }

  /**
   * The oldest due pending row of the channel, locked until the transaction ends; rows other transactions hold are
   * skipped, so several dispatchers (threads, worker replicas) each get a different one.
   */
  async claimDue(channel: DeliveryChannel, now: Date): Promise<NoticeDeliveryRow | undefined> {
    const rows = await this.db.query<NoticeDeliveryRow>(
      `SELECT * FROM notice_delivery WHERE channel = $1 AND status = 'pending' AND next_attempt_at <= $2
        ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      [channel, now],
    );
    return rows[0];
  }

  /** Whether the channel has a due pending row (no lock: a hint before taking a send token). */
  async hasDue(channel: DeliveryChannel, now: Date): Promise<boolean> {
    const [row] = await this.db.query<{ due: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM notice_delivery WHERE channel = $1 AND status = 'pending' AND next_attempt_at <= $2) AS due`,
      [channel, now],
    );
    return row.due;
  }

  async saveRendered(id: string, subject: string, body: string): Promise<void> {
    await this.db.query(`UPDATE notice_delivery SET subject = $2, body = $3 WHERE id = $1`, [id, subject, body]);
  }

  async markSent(id: string, attempts: number): Promise<void> {
    await this.db.query(
      `UPDATE notice_delivery SET status = 'sent', sent_at = now(), attempts = $2, last_error = NULL, updated_at = now() WHERE id = $1`,
      [id, attempts],
    );
  }

  async markDead(id: string, attempts: number, error: string): Promise<void> {
    await this.db.query(
      `UPDATE notice_delivery SET status = 'dead', dead_at = now(), attempts = $2, last_error = $3, updated_at = now() WHERE id = $1`,
      [id, attempts, error],
    );
  }

  /** Quiet hours: the row is not looked at again before `until`. */
  async postpone(id: string, until: Date): Promise<void> {
    await this.db.query(`UPDATE notice_delivery SET next_attempt_at = $2 WHERE id = $1`, [id, until]);
  }

  /** A transient failure: counted, and tried again at `nextAttemptAt`. */
  async markFailed(id: string, attempts: number, error: string, nextAttemptAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE notice_delivery SET attempts = $2, last_error = $3, next_attempt_at = $4, updated_at = now() WHERE id = $1`,
      [id, attempts, error, nextAttemptAt],
    );
  }

  /** The inbox message of an inbox delivery (idempotent per delivery), with the notice's kind. */
  async insertInboxMessage(m: {
    unitId: string | null;
    deliveryId: string;
    noticeId: string;
    subject: string;
    body: string;
    link: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO inbox_message (unit_id, delivery_id, notice_kind, subject, body, link)
       SELECT $1, $2, n.kind, $3, $4, $5 FROM notice n WHERE n.id = $6 ON CONFLICT (delivery_id) DO NOTHING`,
      [m.unitId, m.deliveryId, m.subject, m.body, m.link, m.noticeId],
    );
  }

  /** Inserts the planned rows; a row whose dedupe key exists already (a retried recordNotice) is left as it is. */
  async insertPlanned(rows: PlannedDeliveryRow[]): Promise<void> {
    for (const r of rows) {
      await this.db.query(
        `INSERT INTO notice_delivery (id, dedupe_key, notice_id, channel, recipient_unit_id, recipient_name, address, recipient, locale,
           critical, message_id, status, not_before, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, COALESCE($13, now())) ON CONFLICT (dedupe_key) DO NOTHING`,
        [
          r.id,
          r.dedupeKey,
          r.noticeId,
          r.channel,
          r.recipientUnitId,
          r.recipientName,
          r.address,
          JSON.stringify(r.recipient),
          r.locale,
          r.critical,
          r.messageId,
          r.status,
          r.notBefore,
        ],
      );
    }
  }

  /** A notice that reaches no one: a `none` row, dead from the start with the reason (the dead-letter list shows it). */
  async insertNoRecipient(r: {
    id: string;
    dedupeKey: string;
    noticeId: string;
    address: string;
    critical: boolean;
    messageId: string;
    problem: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO notice_delivery (id, dedupe_key, notice_id, channel, recipient_unit_id, recipient_name, address, recipient, locale,
         critical, message_id, status, last_error, dead_at)
       VALUES ($1, $2, $3, 'none', NULL, '', $4, '{}', 'zh-CN', $5, $6, 'dead', $7, now()) ON CONFLICT (dedupe_key) DO NOTHING`,
      [r.id, r.dedupeKey, r.noticeId, r.address, r.critical, r.messageId, r.problem],
    );
  }

  pendingOfNotice(noticeId: string): Promise<PendingDeliveryRow[]> {
    return this.db.query<PendingDeliveryRow>(
      `SELECT id, channel FROM notice_delivery WHERE notice_id = $1 AND status = 'pending' ORDER BY channel, address`,
      [noticeId],
    );
  }

  /** A dead delivery back to pending, due now, with a fresh attempt budget (the admin's retry); false if not dead. */
  async reopenDead(id: string): Promise<boolean> {
    const result = await this.db.query(
      `UPDATE notice_delivery SET status = 'pending', attempts = 0, dead_at = NULL, next_attempt_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'dead' AND channel <> 'none'`,
      [id],
    );
    return affected(result) > 0;
  }

  /**
   * Wakes the dispatchers of these channels (pg_notify). Inside a transaction the notification goes out at COMMIT,
   * so a dispatcher never looks before the rows are visible; a rolled-back transaction notifies no one.
   */
  async notify(channels: readonly string[]): Promise<void> {
    if (!channels.length) return;
    await this.db.query(`SELECT pg_notify($1, c) FROM unnest($2::text[]) AS c`, [
      OUTBOX_NOTIFY_CHANNEL,
      [...new Set(channels)],
    ]);
  }
}

import type { ConfigService } from '@nestjs/config';
import type { Env } from '../../libs/config/src/env.schema';
import { retryDelayMs } from '../../libs/domain/src/notices/retry-backoff';
import { DeliveryError, type OutgoingMessage } from '../../libs/notifications/src/message';
import type { Db } from '../../libs/persistence/src/db';
import {
  NoticeDeliveryRepository,
  type NoticeDeliveryRow,
} from '../../libs/persistence/src/repositories/notice-delivery.repository';
import { NoticeRepository } from '../../libs/persistence/src/repositories/notice.repository';
import { NoticeChannels } from './notice-channels';
import type { NoticeChannel } from './notice-delivery.contract';
import { loadNoticeFacts, renderDelivery } from './notice-message';

/** How one attempt at one outbox row ended (its row lock released, its marks committed). */
export type AttemptOutcome =
  | { kind: 'sent' }
  /** The row was not pending when locked: sent or muted or dead before — nothing was sent. */
  | { kind: 'settled'; status: 'sent' | 'muted' | 'dead' }
  /** Quiet hours: not sendable before `until` (nothing was sent, nothing counted). */
  | { kind: 'not-yet'; until: Date }
  /** Marked dead: a permanent error, or the last allowed attempt failed. */
  | { kind: 'dead'; attempts: number; reason: string }
  /** A transient failure, counted; next_attempt_at says when to try again. */
  | { kind: 'retry'; attempts: number; reason: string; nextAttemptAt: Date };

/**
 * Sends one outbox row exactly once — the one road of every delivery, whether the outbox dispatcher claimed the row
 * or a deliverNotice activity asked for it by id.
 *
 * The row is locked (FOR UPDATE) for the whole attempt, the message is sent, and the row is marked `sent` in the SAME
 * transaction. So:
 * - a row found `sent` (the process died after the commit, before anyone heard) is never sent again;
 * - two attempts never send concurrently (the dispatchers skip locked rows; an activity waits for the lock);
 * - HONEST GAP: if the process dies after the receiver accepted the message (SMTP 250 / HTTP 2xx) but before the
 *   COMMIT, PostgreSQL rolls the transaction back and the next attempt sends again. That resend carries the SAME
 *   Message-ID (e-mail) / Idempotency-Key (webhook) — both derived from the dedupe key — which receivers use to
 *   drop the duplicate. No protocol can close this window without the receiver's help (two generals).
 *   The inbox channel has no gap: the inbox row and the `sent` mark commit together.
 * The send happens inside the open transaction on purpose: it is what holds the lock; it is bounded by the
 * channel's own timeouts and by DATABASE_IDLE_IN_TRANSACTION_TIMEOUT.
 *
 * Failures: permanent ones (SMTP 5xx, HTTP 4xx, robot errcodes) and transient ones on the last allowed attempt
 * (NOTICE_MAX_ATTEMPTS) mark the row `dead` with its error (the admin dead-letter list); other failures (a render
 * error too) count the attempt and set next_attempt_at by the backoff policy (libs/domain/src/notices/retry-backoff.ts).
 */
export class NoticeDeliverer {
  private readonly channels: NoticeChannels;
  private readonly outbox: NoticeDeliveryRepository;
  private readonly notices: NoticeRepository;

  constructor(
    private readonly db: Db,
    private readonly config: ConfigService<Env, true>,
  ) {
    this.channels = new NoticeChannels(config);
    this.outbox = new NoticeDeliveryRepository(db);
    this.notices = new NoticeRepository(db);
  }

  /**
   * One transaction: `select` locks a row (by id, or the next due one), the attempt runs under that lock, COMMIT.
   * Undefined when `select` found no row. `nowMs` is the instant quiet hours and backoff count from.
   */
  async deliver(
    select: (outbox: NoticeDeliveryRepository) => Promise<NoticeDeliveryRow | undefined>,
    nowMs: number,
  ): Promise<{ row: NoticeDeliveryRow; outcome: AttemptOutcome } | undefined> {
    const result = await this.db.transaction(async () => {
      const row = await select(this.outbox);
      return row && { row, outcome: await this.attempt(row, nowMs) };
    });
    if (result?.outcome.kind === 'sent' && result.row.channel === 'email') this.faultPoint('kill-after-commit');
    return result;
  }

  /** Whether the channel has a due pending row (a look without a lock, on the pool). */
  hasDue(channel: NoticeChannel, nowMs: number): Promise<boolean> {
    return this.outbox.hasDue(channel, new Date(nowMs));
  }

  close(): void {
    this.channels.close();
  }

  private async attempt(d: NoticeDeliveryRow, nowMs: number): Promise<AttemptOutcome> {
    if (d.status !== 'pending') return { kind: 'settled', status: d.status };
    if (d.not_before && new Date(d.not_before).getTime() > nowMs) {
      await this.outbox.postpone(d.id, d.not_before);
      return { kind: 'not-yet', until: new Date(d.not_before) };
    }
    const attempts = d.attempts + 1;
    try {
      const message = await this.message(d);
      if (d.channel === 'inbox') {
        await this.outbox.insertInboxMessage({
          unitId: d.recipient_unit_id,
          deliveryId: d.id,
          noticeId: d.notice_id,
          subject: message.subject,
          body: message.body,
          link: message.link,
        });
      } else {
        await this.channels.sender(d.channel as 'email').send(message);
        if (d.channel === 'email') this.faultPoint('kill-before-commit');
      }
    } catch (error) {
      return this.failed(d, attempts, error, nowMs);
    }
    await this.outbox.markSent(d.id, attempts);
    return { kind: 'sent' };
  }

  /** Renders on the first attempt and stores subject/body, so every attempt sends the same text. */
  private async message(d: NoticeDeliveryRow): Promise<OutgoingMessage & { link: string }> {
    const facts = await loadNoticeFacts(this.notices, d.notice_id);
    const rendered = renderDelivery(facts, d, this.baseUrl());
    if (d.subject === null || d.body === null) await this.outbox.saveRendered(d.id, rendered.subject, rendered.body);
    return {
      deliveryId: d.id,
      dedupeKey: d.dedupe_key,
      messageId: d.message_id,
      locale: d.locale,
      subject: d.subject ?? rendered.subject,
      body: d.body ?? rendered.body,
      link: rendered.link,
      address: d.address,
      recipient: d.recipient,
      notice: {
        kind: facts.kind,
        audience: facts.audience,
        cycleId: facts.cycleId,
        unitCode: facts.unitCode,
        stepKey: facts.stepKey,
        occurrence: facts.occurrence,
        rung: facts.rung,
        dueAt: facts.dueAt.toISOString(),
        scheduledFor: facts.scheduledFor.toISOString(),
      },
    };
  }

  private async failed(d: NoticeDeliveryRow, attempts: number, error: unknown, nowMs: number): Promise<AttemptOutcome> {
    const reason = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof DeliveryError ? error.permanent : false;
    if (permanent || attempts >= this.config.get('NOTICE_MAX_ATTEMPTS', { infer: true })) {
      await this.outbox.markDead(d.id, attempts, reason);
      return { kind: 'dead', attempts, reason };
    }
    const nextAttemptAt = new Date(nowMs + retryDelayMs(attempts));
    await this.outbox.markFailed(d.id, attempts, reason, nextAttemptAt);
    return { kind: 'retry', attempts, reason, nextAttemptAt };
  }

  private baseUrl(): string {
    return (
      this.config.get('PUBLIC_BASE_URL', { infer: true }) ??
      `http://${this.config.get('API_HOST', { infer: true })}:${this.config.get('API_PORT', { infer: true })}`
    );
  }

  /** Fault injection for the exactly-once tests (NOTICE_FAULT_INJECTION); 'off' in every real deployment. */
  private faultPoint(point: 'kill-before-commit' | 'kill-after-commit'): void {
    if (this.config.get('NOTICE_FAULT_INJECTION', { infer: true }) === point) process.kill(process.pid, 'SIGKILL');
  }
}

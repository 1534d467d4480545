import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { DataSource, type QueryRunner } from 'typeorm';
import type { Env } from '../../libs/config/src/env.schema';
import { DeliveryError, type OutgoingMessage } from '../../libs/notifications/src/message';
import { NoticeChannels } from './notice-channels';
import type { DeliverNoticeResult, NoticeDeliveryActivities as Contract, PlannedDelivery } from './notice-delivery.contract';
import { loadNoticeFacts, renderDelivery, type DeliveryRecord } from './notice-message';

/** Failure types the retry policy and the dead-letter list rely on. */
export const DELIVERY_FAILED = 'NoticeDeliveryFailed';
export const DELIVERY_DEAD = 'NoticeDeliveryDead';
export const DELIVERY_NOT_YET = 'NoticeDeliveryNotYetSendable';

/**
 * deliverNotice: sends one outbox row exactly once.
 *
 * The row is locked (SELECT … FOR UPDATE) for the whole attempt, the message is sent, and the row is marked
 * `sent` in the SAME transaction. So:
 * - a retried activity (the worker died after the commit but before Temporal heard the result) finds `sent` and
 *   returns 'already-sent' without sending;
 * - two attempts never send concurrently (the second waits for the lock, then sees `sent`);
 * - HONEST GAP: if the process dies after the receiver accepted the message (SMTP 250 / HTTP 2xx) but before the
 *   COMMIT, PostgreSQL rolls the transaction back and the retry sends again. That resend carries the SAME
 *   Message-ID (e-mail) / Idempotency-Key (webhook) — both derived from the dedupe key — which receivers use to
 *   drop the duplicate. No protocol can close this window without the receiver's help (two generals).
 *   The inbox channel has no gap: the inbox row and the `sent` mark commit together.
 *
 * Failures: permanent ones (SMTP 5xx, HTTP 4xx, robot errcodes) and transient ones on the last allowed attempt
 * (NOTICE_MAX_ATTEMPTS) mark the row `dead` with its error (the admin dead-letter list) and throw a non-retryable
 * ApplicationFailure; other transient failures throw a retryable one (the activity retry policy backs off).
 */
@Injectable()
export class NoticeDeliveryActivities implements Contract {
  // Every public method is an activity (activities/collect-activities.ts): helpers are private and start with '_'.
  private readonly channels: NoticeChannels;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: ConfigService<Env, true>,
  ) {
    this.channels = new NoticeChannels(config);
  }

  async deliverNotice(input: PlannedDelivery): Promise<DeliverNoticeResult> {
    const qr = this.dataSource.createQueryRunner();
    await qr.connect();
    try {
      await qr.startTransaction();
      const [d] = await qr.manager.query<DeliveryRecord[]>(`SELECT * FROM notice_delivery WHERE id = $1 FOR UPDATE`, [input.deliveryId]);
      if (!d) throw ApplicationFailure.nonRetryable(`delivery ${input.deliveryId} does not exist`, DELIVERY_DEAD);
      if (d.status !== 'pending') {
        await qr.commitTransaction();
        return { status: d.status === 'sent' ? 'already-sent' : (d.status as 'muted' | 'dead') };
      }
      const wait = d.not_before ? new Date(d.not_before).getTime() - this._now() : 0;
      if (wait > 0) {
        await qr.commitTransaction();
        // Quiet hours: come back when sending is allowed (Temporal's retry timer; no worker slot is held meanwhile).
        throw ApplicationFailure.create({ message: `not before ${new Date(d.not_before!).toISOString()}`, type: DELIVERY_NOT_YET, nextRetryDelay: wait });
      }
      const attempts = d.attempts + 1;
      const message = await this._message(qr, d);

      if (d.channel === 'inbox') {
        await qr.query(
          `INSERT INTO inbox_message (unit_id, delivery_id, notice_kind, subject, body, link)
           SELECT $1, $2, n.kind, $3, $4, $5 FROM notice n WHERE n.id = $6 ON CONFLICT (delivery_id) DO NOTHING`,
          [d.recipient_unit_id, d.id, message.subject, message.body, message.link, d.notice_id],
        );
      } else {
        try {
          await this.channels.sender(d.channel as 'email').send(message);
        } catch (error) {
          return await this._failed(qr, d, attempts, error);
        }
        if (d.channel === 'email') this._faultPoint('kill-before-commit');
      }
      await qr.query(
        `UPDATE notice_delivery SET status = 'sent', sent_at = now(), attempts = $2, last_error = NULL, updated_at = now() WHERE id = $1`,
        [d.id, attempts],
      );
      await qr.commitTransaction();
      if (d.channel === 'email') this._faultPoint('kill-after-commit');
      return { status: 'sent' };
    } finally {
      if (qr.isTransactionActive) await qr.rollbackTransaction().catch(() => undefined);
      await qr.release();
    }
  }

  /** Renders on the first attempt and stores subject/body, so every attempt sends the same text. */
  private async _message(qr: QueryRunner, d: DeliveryRecord): Promise<OutgoingMessage & { link: string }> {
    const facts = await loadNoticeFacts(qr.manager, d.notice_id);
    const rendered = renderDelivery(facts, d, this._baseUrl());
    if (d.subject === null || d.body === null) {
      await qr.query(`UPDATE notice_delivery SET subject = $2, body = $3 WHERE id = $1`, [d.id, rendered.subject, rendered.body]);
    }
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

  private async _failed(qr: QueryRunner, d: DeliveryRecord, attempts: number, error: unknown): Promise<never> {
    const reason = error instanceof Error ? error.message : String(error);
    const permanent = error instanceof DeliveryError ? error.permanent : false;
    const exhausted = attempts >= this.config.get('NOTICE_MAX_ATTEMPTS', { infer: true });
    if (permanent || exhausted) {
      await qr.query(
        `UPDATE notice_delivery SET status = 'dead', dead_at = now(), attempts = $2, last_error = $3, updated_at = now() WHERE id = $1`,
        [d.id, attempts, reason],
      );
      await qr.commitTransaction();
      throw ApplicationFailure.nonRetryable(`${d.channel} delivery to ${d.recipient_name} is dead: ${reason}`, DELIVERY_DEAD);
    }
    await qr.query(`UPDATE notice_delivery SET attempts = $2, last_error = $3, updated_at = now() WHERE id = $1`, [d.id, attempts, reason]);
    await qr.commitTransaction();
    throw ApplicationFailure.retryable(`${d.channel} delivery attempt ${attempts} failed: ${reason}`, DELIVERY_FAILED);
  }

  /**
   * Now, as the later of this process's clock and the instant Temporal scheduled this attempt: equal in production,
   * and under the time-skipping test server the skipped clock (the retry after a quiet-hours delay is scheduled at
   * or after not_before even though the wall clock has barely moved).
   */
  private _now(): number {
    try {
      return Math.max(Date.now(), Context.current().info.currentAttemptScheduledTimestampMs);
    } catch {
      return Date.now();
    }
  }

  private _baseUrl(): string {
    return (
      this.config.get('PUBLIC_BASE_URL', { infer: true }) ??
      `http://${this.config.get('API_HOST', { infer: true })}:${this.config.get('API_PORT', { infer: true })}`
    );
  }

  /** Fault injection for the exactly-once test (NOTICE_FAULT_INJECTION); 'off' in every real deployment. */
  private _faultPoint(point: 'kill-before-commit' | 'kill-after-commit'): void {
    if (this.config.get('NOTICE_FAULT_INJECTION', { infer: true }) === point) process.kill(process.pid, 'SIGKILL');
  }
}

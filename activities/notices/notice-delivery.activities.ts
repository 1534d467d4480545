import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Env } from '../../libs/config/src/env.schema';
import { Db } from '../../libs/persistence/src/db';
import type {
  DeliverNoticeResult,
  NoticeDeliveryActivities as Contract,
  PlannedDelivery,
} from './notice-delivery.contract';
import { NoticeDeliverer } from './notice-deliverer';

/** Failure types the retry policy and the dead-letter list rely on. */
export const DELIVERY_FAILED = 'NoticeDeliveryFailed';
export const DELIVERY_DEAD = 'NoticeDeliveryDead';
export const DELIVERY_NOT_YET = 'NoticeDeliveryNotYetSendable';

/**
 * deliverNotice: one outbox row by id, as one Temporal activity on the channel's task queue. New notices do not take
 * this road — the worker's outbox dispatchers send them (apps/worker/src/notice-workers.ts) — but unit workflow runs
 * recorded before the dispatcher replay their deliverNotice calls, and those still in flight complete here. Both
 * roads share NoticeDeliverer (row lock, send, mark in one transaction), so a row is sent once whichever takes it.
 *
 * Outcomes as Temporal sees them: sent / already-sent / muted / dead results; a dead row throws the non-retryable
 * NoticeDeliveryDead; a transient failure a retryable NoticeDeliveryFailed (the activity retry policy backs off);
 * quiet hours a retryable failure whose nextRetryDelay is the wait, so no worker slot is held meanwhile.
 */
@Injectable()
export class NoticeDeliveryActivities implements Contract {
  // Every public method is an activity (activities/collect-activities.ts): helpers are private and start with '_'.
  /** The locked send (the outbox dispatchers run their own NoticeDeliverer, on their own connections). */
  readonly deliverer: NoticeDeliverer;

  constructor(db: Db, config: ConfigService<Env, true>) {
    this.deliverer = new NoticeDeliverer(db, config);
  }

  async deliverNotice(input: PlannedDelivery): Promise<DeliverNoticeResult> {
    const done = await this.deliverer.deliver((outbox) => outbox.lock(input.deliveryId), this._now());
    if (!done) throw ApplicationFailure.nonRetryable(`delivery ${input.deliveryId} does not exist`, DELIVERY_DEAD);
    const { row, outcome } = done;
    switch (outcome.kind) {
      case 'sent':
        return { status: 'sent' };
      case 'settled':
        return { status: outcome.status === 'sent' ? 'already-sent' : outcome.status };
      case 'not-yet':
        // Quiet hours: come back when sending is allowed (Temporal's retry timer; no worker slot is held meanwhile).
        throw ApplicationFailure.create({
          message: `not before ${outcome.until.toISOString()}`,
          type: DELIVERY_NOT_YET,
          nextRetryDelay: outcome.until.getTime() - this._now(),
        });
      case 'dead':
        throw ApplicationFailure.nonRetryable(
          `${row.channel} delivery to ${row.recipient_name} is dead: ${outcome.reason}`,
          DELIVERY_DEAD,
        );
      case 'retry':
        throw ApplicationFailure.retryable(
          `${row.channel} delivery attempt ${outcome.attempts} failed: ${outcome.reason}`,
          DELIVERY_FAILED,
        );
    }
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
}

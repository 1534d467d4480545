import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { redactUrl } from '../../../../libs/notifications/src/channels/http-post';
import { Db } from '../../../../libs/persistence/src';
import { NoticeDeliveryRepository } from '../../../../libs/persistence/src/repositories/notice-delivery.repository';
import type { DeadLetterDto, DeadLetterQuery, RetryQueuedDto } from './dead-letters.dto';
import { DeadLettersRepository } from './dead-letters.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Deliveries that ended `dead` (permanent error, or retries exhausted), and sending one of them again. */
@Injectable()
export class DeadLettersService {
  private readonly outbox: NoticeDeliveryRepository;

  constructor(
    private readonly db: Db,
    private readonly deadLetters: DeadLettersRepository,
  ) {
    this.outbox = new NoticeDeliveryRepository(db);
  }

  async list(q: DeadLetterQuery): Promise<DeadLetterDto[]> {
    const rows = await this.deadLetters.list({
      channel: q.channel ?? null,
      limit: q.limit ?? 100,
      reason: q.reason ?? null,
      from: q.from ?? null,
      to: q.to ?? null,
    });
    return rows.map((r) => ({
      id: r.id,
      channel: r.channel,
      recipientName: r.recipient_name,
      address: redactUrl(r.address),
      attempts: r.attempts,
      lastError: r.last_error,
      deadAt: new Date(r.dead_at).toISOString(),
      notice: {
        kind: r.kind,
        audience: r.audience,
        cycleId: r.cycle_id,
        unitCode: r.unit_code,
        stepKey: r.step_key,
        occurrence: r.occurrence,
        rung: r.rung,
      },
    }));
  }

  /**
   * Puts the delivery back to `pending`, due now (attempt budget reset, last error kept until it succeeds), and
   * wakes its channel's outbox dispatchers — at COMMIT, so they find the row pending. The same row, Message-ID and
   * rendered text: the dispatcher sends it once.
   */
  async retry(id: string): Promise<RetryQueuedDto> {
    if (!UUID.test(id))
      throw DomainError.validation('id must be a delivery id', [{ field: 'id', problem: 'must be a UUID' }]);
    return this.db.transaction(async () => {
      const row = await this.deadLetters.lock(id);
      if (!row) throw DomainError.notFound(`delivery ${id}`);
      if (row.status !== 'dead')
        throw new DomainError(
          ErrorCode.Conflict,
          `delivery ${id} is ${row.status}, not dead: only dead letters can be retried`,
        );
      if (row.channel === 'none') {
        throw new DomainError(
          ErrorCode.Conflict,
          `delivery ${id} had no recipient: add a unit of kind office or NOTICE_OFFICE_EMAILS (the next notices reach them); there is nothing to resend`,
        );
      }
      await this.outbox.reopenDead(id);
      await this.outbox.notify([row.channel]);
      return { id, channel: row.channel, status: 'pending' as const };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { ConfigService } from '@nestjs/config';
import type { Client } from '@temporalio/client';
import type { Env } from '../../../../libs/config/src';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { redactUrl } from '../../../../libs/notifications/src/channels/http-post';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import type { noticeDeliveryWorkflow } from '../../../../workflows/notices/notice-delivery.workflow';
import type { DeadLetterDto, DeadLetterQuery, RetryStartedDto } from './dead-letters.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Deliveries that ended `dead` (permanent error, or retries exhausted), and re-running one of them. */
@Injectable()
export class DeadLettersService {
  constructor(
    private readonly db: Db,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async list(q: DeadLetterQuery): Promise<DeadLetterDto[]> {
    const rows = await this.db.query(
      `SELECT d.*, n.kind, n.audience, n.cycle_id, n.step_key, n.occurrence, n.rung, u.code AS unit_code
         FROM notice_delivery d JOIN notice n ON n.id = d.notice_id JOIN unit u ON u.id = n.unit_id
        WHERE d.status = 'dead' AND ($1::text IS NULL OR d.channel = $1)
          AND ($3::text IS NULL OR strpos(lower(d.last_error), lower($3)) > 0)
          AND ($4::timestamptz IS NULL OR d.dead_at >= $4) AND ($5::timestamptz IS NULL OR d.dead_at < $5)
        ORDER BY d.dead_at DESC, d.id LIMIT $2`,
      [q.channel ?? null, q.limit ?? 100, q.reason ?? null, q.from ?? null, q.to ?? null],
    );
    return rows.map((r: any) => ({
      id: r.id,
      channel: r.channel,
      recipientName: r.recipient_name,
      address: redactUrl(r.address),
      attempts: r.attempts,
      lastError: r.last_error,
      deadAt: new Date(r.dead_at).toISOString(),
      notice: { kind: r.kind, audience: r.audience, cycleId: r.cycle_id, unitCode: r.unit_code, stepKey: r.step_key, occurrence: r.occurrence, rung: r.rung },
    }));
  }

  /**
   * Puts the delivery back to `pending` (attempt budget reset, last error kept until it succeeds) and starts
   * noticeDeliveryWorkflow for it — in one transaction: if Temporal refuses the start, the row stays dead.
   */
  async retry(id: string): Promise<RetryStartedDto> {
    if (!UUID.test(id)) throw DomainError.validation('id must be a delivery id', [{ field: 'id', problem: 'must be a UUID' }]);
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query(`SELECT status, channel FROM notice_delivery WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) throw DomainError.notFound(`delivery ${id}`);
      if (row.status !== 'dead') throw new DomainError(ErrorCode.Conflict, `delivery ${id} is ${row.status}, not dead: only dead letters can be retried`);
      if (row.channel === 'none') {
        throw new DomainError(ErrorCode.Conflict, `delivery ${id} had no recipient: add a unit of kind office or NOTICE_OFFICE_EMAILS (the next notices reach them); there is nothing to resend`);
      }
      await tx.query(`UPDATE notice_delivery SET status = 'pending', attempts = 0, dead_at = NULL, updated_at = now() WHERE id = $1`, [id]);
      const workflowId = `notice-delivery-retry/${id}/${Date.now()}`;
      await this.temporal.workflow.start<typeof noticeDeliveryWorkflow>('noticeDeliveryWorkflow', {
        taskQueue: this.config.get('TEMPORAL_TASK_QUEUE', { infer: true }),
        workflowId,
        args: [{ deliveryId: id, channel: row.channel }],
      });
      return { id, workflowId };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';

/** A dead delivery with the notice it belongs to, as the dead-letter list shows it. */
export interface DeadLetterRow {
  id: string;
  channel: string;
  recipient_name: string;
  address: string;
  attempts: number;
  last_error: string;
  dead_at: Date;
  kind: string;
  audience: string;
  cycle_id: string | null;
  step_key: string;
  occurrence: number;
  rung: number | null;
  unit_code: string;
}

export interface DeadLetterFilter {
  channel: string | null;
  limit: number;
  reason: string | null;
  from: string | null;
  to: string | null;
}

/** The dead-letter list's statements (the outbox itself: libs/persistence/src/repositories/notice-delivery.repository.ts). */
@Injectable()
export class DeadLettersRepository {
  constructor(private readonly db: Db) {}

  list(f: DeadLetterFilter): Promise<DeadLetterRow[]> {
    return this.db.query<DeadLetterRow>(
      `SELECT d.id, d.channel, d.recipient_name, d.address, d.attempts, d.last_error, d.dead_at,
              n.kind, n.audience, n.cycle_id, n.step_key, n.occurrence, n.rung, u.code AS unit_code
         FROM notice_delivery d JOIN notice n ON n.id = d.notice_id JOIN unit u ON u.id = n.unit_id
        WHERE d.status = 'dead' AND ($1::text IS NULL OR d.channel = $1)
          AND ($3::text IS NULL OR strpos(lower(d.last_error), lower($3)) > 0)
          AND ($4::timestamptz IS NULL OR d.dead_at >= $4) AND ($5::timestamptz IS NULL OR d.dead_at < $5)
        ORDER BY d.dead_at DESC, d.id LIMIT $2`,
      [f.channel, f.limit, f.reason, f.from, f.to],
    );
  }

  /** The delivery's status and channel, locked until the transaction ends. */
  async lock(id: string): Promise<{ status: string; channel: string } | undefined> {
    return (
      await this.db.query<{ status: string; channel: string }>(
        `SELECT status, channel FROM notice_delivery WHERE id = $1 FOR UPDATE`,
        [id],
      )
    )[0];
  }
}

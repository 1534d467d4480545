import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';

/** The key of one caller: keys are scoped per actor. */
export interface IdempotencyKeyRef {
  actor: string;
  key: string;
}

/** What a request with a key left behind. `statusCode` 0: claimed, its answer not stored yet. */
export interface StoredRequestRow {
  route: string;
  requestHash: string;
  request: unknown;
  statusCode: number;
  response: unknown;
}

/** idempotency_key: one row per (actor, key), claimed inside the request's transaction. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly db: Db) {}

  /** Claims the key for this request; false when a row for it exists (or is being written by a racing request). */
  async claim(c: IdempotencyKeyRef & Pick<StoredRequestRow, 'route' | 'requestHash' | 'request'>): Promise<boolean> {
    const claimed = await this.db.query(
      `INSERT INTO idempotency_key (actor, key, route, request_hash, request, status_code, response)
       VALUES ($1, $2, $3, $4, $5::jsonb, 0, 'null') ON CONFLICT DO NOTHING RETURNING key`,
      [c.actor, c.key, c.route, c.requestHash, JSON.stringify(c.request)],
    );
    return claimed.length > 0;
  }

  async find(ref: IdempotencyKeyRef): Promise<StoredRequestRow | undefined> {
    const rows = await this.db.query<StoredRequestRow>(
      `SELECT route, request_hash AS "requestHash", request, status_code AS "statusCode", response FROM idempotency_key WHERE actor = $1 AND key = $2`,
      [ref.actor, ref.key],
    );
    return rows[0];
  }

  /** Stores the answer a replay returns. */
  async complete(ref: IdempotencyKeyRef, response: unknown): Promise<void> {
    await this.db.query(
      `UPDATE idempotency_key SET status_code = 200, response = $3::jsonb WHERE actor = $1 AND key = $2`,
      [ref.actor, ref.key, JSON.stringify(response ?? null)],
    );
  }

  /** Forgets a claim whose answer was never stored. */
  async release(ref: IdempotencyKeyRef): Promise<void> {
    await this.db.query(`DELETE FROM idempotency_key WHERE actor = $1 AND key = $2 AND status_code = 0`, [
      ref.actor,
      ref.key,
    ]);
  }
}

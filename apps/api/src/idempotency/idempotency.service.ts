import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';

export interface IdempotentCall {
  /** Who is calling (user id, or a token hash for anonymous callers): keys are scoped per caller. */
  actor: string;
  key: string;
  /** e.g. `POST /api/submissions/:id/submit` with the id filled in: a key reused on another route is refused. */
  route: string;
  /** The request body (and anything else that makes two requests different). */
  request: unknown;
}

/**
 * Runs `work` in a transaction that first claims (actor, key). A retry after the first commit gets the stored
 * response without running `work` again; a retry racing the first blocks on the key's primary key until the first
 * commits (then replays) or rolls back (then runs). If `work` throws, the claim rolls back with everything else, so
 * a failed request can be retried with the same key.
 */
@Injectable()
export class IdempotencyService {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * `storedAs`: what a replay returns instead of the first response, for responses holding secrets that must not be
   * kept (one-time evaluation tokens): by default the first response itself.
   */
  async run<T>(call: IdempotentCall, work: (m: EntityManager) => Promise<T>, storedAs: (result: T) => unknown = (r) => r): Promise<T> {
    const hash = createHash('sha256').update(JSON.stringify([call.route, call.request ?? null])).digest('hex');
    return this.db.transaction(async (m) => {
      const claimed = await m.query(
        `INSERT INTO idempotency_key (actor, key, route, request_hash, status_code, response)
         VALUES ($1, $2, $3, $4, 0, 'null') ON CONFLICT DO NOTHING RETURNING key`,
        [call.actor, call.key, call.route, hash],
      );
      if (claimed.length === 0) {
        const [stored] = await m.query(`SELECT route, request_hash, response FROM idempotency_key WHERE actor = $1 AND key = $2`, [call.actor, call.key]);
        if (stored.route !== call.route || stored.request_hash !== hash) {
          throw new DomainError(ErrorCode.InvalidState, 'Idempotency-Key was already used for a different request', [
            { field: 'Idempotency-Key', problem: 'was already used for a different request' },
          ]);
        }
        return stored.response as T;
      }
      const result = await work(m);
      await m.query(`UPDATE idempotency_key SET status_code = 200, response = $3::jsonb WHERE actor = $1 AND key = $2`, [
        call.actor,
        call.key,
        JSON.stringify(storedAs(result) ?? null),
      ]);
      return result;
    });
  }
}

/** A stable UUID-shaped id derived from `parts` (sha-256, version nibble 8): retries of one request get one id. */
export function derivedUuid(...parts: string[]): string {
  const b = createHash('sha256').update(parts.join('\n')).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

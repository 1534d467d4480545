import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { DomainError, ErrorCode, ErrorReason, FieldProblem } from '../../../../libs/domain/src';
import { canonicalJson } from '../../../../libs/domain/src/template/checksum';
import { Db } from '../../../../libs/persistence/src';
import { IdempotencyRepository } from './idempotency.repository';

export interface IdempotentCall {
  /** Who is calling (user id, or a token hash for anonymous callers): keys are scoped per caller. */
  actor: string;
  key: string;
  /** e.g. `POST /api/submissions/:id/submit` with the id filled in: a key reused on another route is refused. */
  route: string;
  /** The request body (and anything else that makes two requests different), compared in canonical form. */
  request: unknown;
}

/** What an earlier request with the same key left: nothing (claimed now), its answer, or an unfinished workflow call. */
export type Claim<T> = { state: 'claimed' } | { state: 'done'; response: T } | { state: 'pending' };

/**
 * Idempotency-Key handling. A key is bound to its route and its whole canonical request (keys sorted, so property
 * order does not matter); the same key with another request is 422 IDEMPOTENCY_KEY_REUSED naming the fields that
 * differ. The same request returns the first answer and writes nothing more.
 */
@Injectable()
export class IdempotencyService {
  constructor(
    private readonly db: Db,
    private readonly keys: IdempotencyRepository,
  ) {}

  /**
   * Runs `work` in a transaction that first claims (actor, key). A retry after the first commit gets the stored
   * response without running `work` again; a retry racing the first blocks on the key's primary key until the first
   * commits (then replays) or rolls back (then runs). If `work` throws, the claim rolls back with everything else.
   * `storedAs`: what a replay returns instead of the first response, for responses holding secrets that must not be
   * kept (one-time evaluation tokens): by default the first response itself.
   */
  async run<T>(
    call: IdempotentCall,
    work: (m: EntityManager) => Promise<T>,
    storedAs: (result: T) => unknown = (r) => r,
  ): Promise<T> {
    return this.db.transaction(async (m) => {
      const claim = await this.claim<T>(call);
      if (claim.state === 'done') return claim.response;
      const result = await work(m);
      await this.complete(call, storedAs(result));
      return result;
    });
  }

  /**
   * For writes that call a workflow (three steps: intent, call, result): claims the key inside the caller's
   * transaction. `pending` means an earlier request with this key recorded its intent but not yet its result.
   */
  async claim<T>(call: IdempotentCall): Promise<Claim<T>> {
    const request: unknown = JSON.parse(canonicalJson(call.request ?? null));
    const hash = createHash('sha256')
      .update(canonicalJson([call.route, request]))
      .digest('hex');
    if (await this.keys.claim({ actor: call.actor, key: call.key, route: call.route, requestHash: hash, request }))
      return { state: 'claimed' };
    const stored = (await this.keys.find(call))!;
    if (stored.route !== call.route || stored.requestHash !== hash) throw reused(call.route, stored, request);
    return stored.statusCode === 0 ? { state: 'pending' } : { state: 'done', response: stored.response as T };
  }

  /** Stores the answer a replay returns (in the caller's transaction). */
  async complete(call: Pick<IdempotentCall, 'actor' | 'key'>, response: unknown): Promise<void> {
    await this.keys.complete(call, response);
  }

  /** Forgets an unfinished claim (the workflow refused: nothing happened, the key may be used again). */
  async release(call: Pick<IdempotentCall, 'actor' | 'key'>): Promise<void> {
    await this.keys.release(call);
  }
}

/** 422 naming what differs: the route, or the top-level fields of the body whose values differ. */
function reused(route: string, stored: { route: string; request: unknown }, request: unknown): DomainError {
  const problems: FieldProblem[] =
    stored.route !== route
      ? [{ field: 'Idempotency-Key', problem: `was already used for ${stored.route}` }]
      : differingFields(stored.request, request).map((field) => ({
          field,
          problem: 'differs from the first request made with this Idempotency-Key',
        }));
  if (!problems.length)
    problems.push({ field: 'Idempotency-Key', problem: 'was already used for a different request' });
  return new DomainError(
    ErrorCode.InvalidState,
    `Idempotency-Key was already used for a different request (${problems.map((p) => p.field).join(', ')}); use a new key for a new request`,
    problems,
    ErrorReason.IdempotencyKeyReused,
  );
}

/** Top-level fields whose canonical values differ (all fields when either side is not an object). */
export function differingFields(before: unknown, after: unknown): string[] {
  const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(before) || !isObject(after)) return canonicalJson(before) === canonicalJson(after) ? [] : ['body'];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => canonicalJson(before[k]) !== canonicalJson(after[k]));
}

/** A stable UUID-shaped id derived from `parts` (sha-256, version nibble 8): retries of one request get one id. */
export function derivedUuid(...parts: string[]): string {
  const b = createHash('sha256').update(parts.join('\n')).digest().subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x80;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

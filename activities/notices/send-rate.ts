import { RateLimiterPostgres, RateLimiterQueue } from 'rate-limiter-flexible';
import type { Pool } from 'pg';
import type { NoticeChannel } from './notice-delivery.contract';

/** The table of migration 1764800000000-notice-outbox-dispatch (rate-limiter-flexible's PostgreSQL layout). */
const TABLE = 'notice_rate_limit';

/**
 * A window of whole points whose length in ms the store can keep (it writes `expire` as a bigint of ms, and
 * multiplies the duration in seconds by 1000): 20/s → 20 per 1 s, 0.3/s → 1 per 3.334 s.
 */
export function bucketWindow(perSecond: number): { points: number; durationS: number } {
  const points = Math.max(1, Math.round(perSecond));
  let ms = Math.round((1000 * points) / perSecond);
  while (!Number.isInteger((ms / 1000) * 1000)) ms++;
  return { points, durationS: ms / 1000 };
}

/**
 * A channel's send rate as a token bucket kept in PostgreSQL (rate-limiter-flexible), so that every dispatcher of
 * every worker replica draws from the same bucket: the configured rate holds for the whole deployment. Waiters of
 * this process queue in order (RateLimiterQueue) and wake when the window has room.
 */
export class SendRate {
  private readonly limiter: RateLimiterPostgres;
  private readonly queue: RateLimiterQueue;
  private readonly key: string;

  constructor(pool: Pool, channel: NoticeChannel, perSecond: number) {
    const { points, durationS } = bucketWindow(perSecond);
    this.key = `notice:${channel}`;
    this.limiter = new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: TABLE,
      tableCreated: true,
      clearExpiredByTimeout: false,
      points,
      duration: durationS,
    });
    this.queue = new RateLimiterQueue(this.limiter);
  }

  /** Resolves when one send may go (rejects when the store cannot be reached). */
  async take(): Promise<void> {
    await this.queue.removeTokens(1, this.key);
  }

  /** A token taken for work that was gone by the time it was looked for. */
  async giveBack(): Promise<void> {
    await this.limiter.reward(this.key, 1);
  }
}

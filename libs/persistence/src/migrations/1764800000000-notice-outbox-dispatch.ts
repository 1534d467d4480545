import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices are sent by the worker's outbox dispatcher (apps/worker/src/notice-workers.ts), not by one Temporal
 * activity per message: a pending row is due at `next_attempt_at` (quiet hours, retry backoff), found through a
 * partial index per channel, and the channels' send rates are shared token buckets in `notice_rate_limit` (the table
 * layout rate-limiter-flexible's PostgreSQL store expects), so the rate holds across worker replicas.
 */
export class NoticeOutboxDispatch1764800000000 implements MigrationInterface {
  name = 'NoticeOutboxDispatch1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notice_delivery ADD COLUMN next_attempt_at timestamptz NOT NULL DEFAULT now()`);
    await q.query(
      `UPDATE notice_delivery SET next_attempt_at = COALESCE(not_before, created_at) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE INDEX notice_delivery_due_idx ON notice_delivery (channel, next_attempt_at) WHERE status = 'pending'`,
    );
    await q.query(
      `CREATE TABLE notice_rate_limit (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notice_rate_limit`);
    await q.query(`DROP INDEX notice_delivery_due_idx`);
    await q.query(`ALTER TABLE notice_delivery DROP COLUMN next_attempt_at`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notice delivery: the outbox (one row per notice × recipient × channel, exactly-once by `dedupe_key`), the
 * in-app inbox of each unit, and office closures (extra non-working days for quiet-hours scheduling).
 */
export class Notifications1763700400000 implements MigrationInterface {
  name = 'Notifications1763700400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notice_delivery (
        id uuid PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        notice_id bigint NOT NULL REFERENCES notice(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('email', 'wecom', 'dingtalk', 'webhook', 'inbox')),
        recipient_unit_id uuid NOT NULL,
        recipient_name text NOT NULL,
        address text NOT NULL,
        recipient jsonb NOT NULL,
        locale text NOT NULL CHECK (locale IN ('zh-CN', 'en')),
        critical boolean NOT NULL,
        message_id text NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'sent', 'muted', 'dead')),
        not_before timestamptz,
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        subject text,
        body text,
        sent_at timestamptz,
        dead_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notice_delivery_notice_idx ON notice_delivery (notice_id)`);
    await q.query(`CREATE INDEX notice_delivery_dead_idx ON notice_delivery (dead_at DESC) WHERE status = 'dead'`);
    await q.query(`
      CREATE TABLE inbox_message (
        id bigserial PRIMARY KEY,
        unit_id uuid NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        delivery_id uuid NOT NULL UNIQUE REFERENCES notice_delivery(id) ON DELETE CASCADE,
        notice_kind text NOT NULL,
        subject text NOT NULL,
        body text NOT NULL,
        link text,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(`CREATE INDEX inbox_message_unit_idx ON inbox_message (unit_id, created_at DESC)`);
    await q.query(`CREATE INDEX inbox_message_unread_idx ON inbox_message (unit_id) WHERE read_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox_message`);
    await q.query(`DROP TABLE notice_delivery`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notices that never vanish, and a worker the api can see (issue 13):
 * - `notice_delivery.channel = 'none'`: the record of a notice that resolved to nobody on an audience ("no recipient
 *   for office of xh-s01"), written `dead` so it shows in the dead-letter list and the unit's timeline.
 * - `recipient_unit_id` / `inbox_message.unit_id` NULL: the office itself when the unit tree has no unit of kind
 *   office (NOTICE_OFFICE_EMAILS and the office's own in-app inbox).
 * - `worker_heartbeat`: each worker process beats every few seconds; /health and the container health check read it.
 */
export class NoticesNeverVanish1764200000000 implements MigrationInterface {
  name = 'NoticesNeverVanish1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notice_delivery DROP CONSTRAINT notice_delivery_channel_check`);
    await q.query(
      `ALTER TABLE notice_delivery ADD CONSTRAINT notice_delivery_channel_check CHECK (channel IN ('email', 'wecom', 'dingtalk', 'webhook', 'inbox', 'none'))`,
    );
    await q.query(`ALTER TABLE notice_delivery ALTER COLUMN recipient_unit_id DROP NOT NULL`);
    await q.query(`ALTER TABLE inbox_message ALTER COLUMN unit_id DROP NOT NULL`);
    await q.query(`CREATE INDEX inbox_message_office_idx ON inbox_message (created_at DESC) WHERE unit_id IS NULL`);
    await q.query(`
      CREATE TABLE worker_heartbeat (
        instance_id text PRIMARY KEY,
        host text NOT NULL,
        pid int NOT NULL,
        task_queue text NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        beat_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE worker_heartbeat`);
    await q.query(`DELETE FROM inbox_message WHERE unit_id IS NULL`);
    await q.query(`DROP INDEX inbox_message_office_idx`);
    await q.query(`ALTER TABLE inbox_message ALTER COLUMN unit_id SET NOT NULL`);
    await q.query(`DELETE FROM notice_delivery WHERE channel = 'none' OR recipient_unit_id IS NULL`);
    await q.query(`ALTER TABLE notice_delivery ALTER COLUMN recipient_unit_id SET NOT NULL`);
    await q.query(`ALTER TABLE notice_delivery DROP CONSTRAINT notice_delivery_channel_check`);
    await q.query(
      `ALTER TABLE notice_delivery ADD CONSTRAINT notice_delivery_channel_check CHECK (channel IN ('email', 'wecom', 'dingtalk', 'webhook', 'inbox'))`,
    );
  }
}

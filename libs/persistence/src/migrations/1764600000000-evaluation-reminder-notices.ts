import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Evaluation reminders go out through the notice machinery (outbox rows, exactly-once delivery, dead letters) like
 * deadline notices: a notice may now be of kind `evaluation_reminder`, belongs to an evaluation, and has a cycle
 * only when the evaluation has one.
 */
export class EvaluationReminderNotices1764600000000 implements MigrationInterface {
  name = 'EvaluationReminderNotices1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notice ADD COLUMN evaluation_id uuid REFERENCES evaluation(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE notice ALTER COLUMN cycle_id DROP NOT NULL`);
    await q.query(`ALTER TABLE notice DROP CONSTRAINT notice_kind_check`);
    await q.query(
      `ALTER TABLE notice ADD CONSTRAINT notice_kind_check CHECK (kind IN ('reminder', 'due', 'escalation', 'evaluation_reminder'))`,
    );
    await q.query(
      `ALTER TABLE notice ADD CONSTRAINT notice_evaluation_check CHECK ((kind = 'evaluation_reminder') = (evaluation_id IS NOT NULL) AND (cycle_id IS NOT NULL OR evaluation_id IS NOT NULL))`,
    );
    await q.query(`CREATE INDEX notice_evaluation_idx ON notice (evaluation_id) WHERE evaluation_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM notice WHERE kind = 'evaluation_reminder'`);
    await q.query(`ALTER TABLE notice DROP CONSTRAINT notice_evaluation_check`);
    await q.query(`ALTER TABLE notice DROP CONSTRAINT notice_kind_check`);
    await q.query(
      `ALTER TABLE notice ADD CONSTRAINT notice_kind_check CHECK (kind IN ('reminder', 'due', 'escalation'))`,
    );
    await q.query(`ALTER TABLE notice ALTER COLUMN cycle_id SET NOT NULL`);
    await q.query(`ALTER TABLE notice DROP COLUMN evaluation_id`);
  }
}

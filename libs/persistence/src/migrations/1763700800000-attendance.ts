import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Members' concentrated activity hours (党员集中活动时间不少于48个小时, seed 004): entries a unit logs per cycle, and
 * the check the unit workflow makes when a stage's window closes (one row per cycle, unit and stage; first wins).
 */
export class Attendance1763700800000 implements MigrationInterface {
  name = 'Attendance1763700800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE attendance_entry (
        id uuid PRIMARY KEY,
        cycle_id uuid NOT NULL REFERENCES campaign_cycle(id),
        unit_id uuid NOT NULL REFERENCES unit(id),
        activity_date date NOT NULL,
        hours numeric(6,2) NOT NULL CHECK (hours > 0 AND hours <= 24),
        members int NOT NULL CHECK (members >= 1),
        title text NOT NULL CHECK (length(title) > 0),
        note text,
        recorded_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attendance_entry_cycle_unit ON attendance_entry (cycle_id, unit_id, activity_date)`);
    await q.query(`
      CREATE TABLE attendance_check (
        cycle_id uuid NOT NULL REFERENCES campaign_cycle(id),
        unit_id uuid NOT NULL REFERENCES unit(id),
        stage_key text NOT NULL,
        hours numeric(8,2) NOT NULL,
        min_hours numeric(8,2) NOT NULL,
        met boolean NOT NULL,
        checked_at timestamptz NOT NULL,
        PRIMARY KEY (cycle_id, unit_id, stage_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE attendance_check`);
    await q.query(`DROP TABLE attendance_entry`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The units' portal lists a unit's (or a secretary's subtree's) steps across every cycle, ordered by due instant:
 * unit_step_status is keyed by cycle first, so without this index "my tasks" would scan every cycle's steps.
 */
export class PortalTasks1764700000000 implements MigrationInterface {
  name = 'PortalTasks1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX unit_step_status_unit_due_idx ON unit_step_status (unit_id, due_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX unit_step_status_unit_due_idx`);
  }
}

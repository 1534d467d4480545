import { MigrationInterface, QueryRunner } from 'typeorm';
import { FILL_PLAN_STEPS_SQL, REFRESH_CELLS_SQL } from '../progress-cells';

/** The progress matrix's compact per-unit cells (libs/persistence/src/progress-cells.ts), backfilled for running cycles. */
export class ProgressCells1764400000000 implements MigrationInterface {
  name = 'ProgressCells1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycle_plan ADD COLUMN step_keys text[] NOT NULL DEFAULT '{}', ADD COLUMN step_due int[] NOT NULL DEFAULT '{}'`);
    await q.query(`ALTER TABLE cycle_unit ADD COLUMN cells text NOT NULL DEFAULT '', ADD COLUMN cell_due int[]`);
    for (const { id } of await q.query(`SELECT id FROM campaign_cycle`)) {
      await q.query(FILL_PLAN_STEPS_SQL, [id]);
      await q.query(REFRESH_CELLS_SQL.replace('AND cu.unit_id = ANY($2::uuid[])', ''), [id]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycle_unit DROP COLUMN cells, DROP COLUMN cell_due`);
    await q.query(`ALTER TABLE cycle_plan DROP COLUMN step_keys, DROP COLUMN step_due`);
  }
}

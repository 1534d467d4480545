import { MigrationInterface, QueryRunner } from 'typeorm';

/*
 * The backfill's statements as they were when this migration was written (a migration must keep doing what it did
 * against the schema of its time, whatever libs/persistence/src/repositories/progress-cells.repository.ts becomes).
 */
const FILL_PLAN_STEPS = `UPDATE cycle_plan p SET (step_keys, step_due) = (
    SELECT array_agg(st.v->>'key' ORDER BY s.si, st.ki),
           array_agg(extract(epoch FROM (st.v->>'dueAt')::timestamptz - c.starts_at)::int ORDER BY s.si, st.ki)
      FROM campaign_cycle c,
           jsonb_array_elements(p.plan->'stages') WITH ORDINALITY AS s(v, si),
           jsonb_array_elements(s.v->'steps') WITH ORDINALITY AS st(v, ki)
     WHERE c.id = p.cycle_id)
  WHERE p.cycle_id = $1`;

const REFRESH_CYCLE_CELLS = `UPDATE cycle_unit cu SET (cells, cell_due) = (
    SELECT string_agg(COALESCE(CASE s.status
             WHEN 'pending' THEN '0' WHEN 'submitted' THEN 's' WHEN 'accepted' THEN 'a' WHEN 'waived' THEN 'w' WHEN 'cancelled' THEN 'c'
             WHEN 'open' THEN CASE WHEN s.escalation_level >= 2 THEN 'O' ELSE 'o' END
             WHEN 'returned' THEN CASE WHEN s.escalation_level >= 2 THEN 'R' ELSE 'r' END
             ELSE '-' END, '-'), '' ORDER BY k.i),
           CASE WHEN array_agg(COALESCE(extract(epoch FROM s.due_at - c.starts_at)::int, p.step_due[k.i]) ORDER BY k.i) = p.step_due THEN NULL
                ELSE array_agg(COALESCE(extract(epoch FROM s.due_at - c.starts_at)::int, p.step_due[k.i]) ORDER BY k.i) END
      FROM cycle_plan p
      JOIN campaign_cycle c ON c.id = p.cycle_id
      CROSS JOIN unnest(p.step_keys) WITH ORDINALITY AS k(key, i)
      LEFT JOIN unit_step_status s ON s.cycle_id = cu.cycle_id AND s.unit_id = cu.unit_id AND s.step_key = k.key
     WHERE p.cycle_id = cu.cycle_id AND p.unit_kind = cu.unit_kind
     GROUP BY p.step_due)
  WHERE cu.cycle_id = $1
    AND EXISTS (SELECT 1 FROM cycle_plan p WHERE p.cycle_id = cu.cycle_id AND p.unit_kind = cu.unit_kind AND cardinality(p.step_keys) > 0)`;

/** The progress matrix's compact per-unit cells (libs/persistence/src/repositories/progress-cells.repository.ts), backfilled for running cycles. */
export class ProgressCells1764400000000 implements MigrationInterface {
  name = 'ProgressCells1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE cycle_plan ADD COLUMN step_keys text[] NOT NULL DEFAULT '{}', ADD COLUMN step_due int[] NOT NULL DEFAULT '{}'`,
    );
    await q.query(`ALTER TABLE cycle_unit ADD COLUMN cells text NOT NULL DEFAULT '', ADD COLUMN cell_due int[]`);
    for (const { id } of await q.query(`SELECT id FROM campaign_cycle`)) {
      await q.query(FILL_PLAN_STEPS, [id]);
      await q.query(REFRESH_CYCLE_CELLS, [id]);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycle_unit DROP COLUMN cells, DROP COLUMN cell_due`);
    await q.query(`ALTER TABLE cycle_plan DROP COLUMN step_keys, DROP COLUMN step_due`);
  }
}

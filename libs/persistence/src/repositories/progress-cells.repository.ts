import { Inject, Injectable } from '@nestjs/common';
import { Db } from '../db';
import type { Queryable } from '../queryable';

/**
 * Codes: '0' pending · 'o' open · 'r' returned · 'O' / 'R' the same with an escalation past the unit's own due
 * notice (escalation_level ≥ 2) · 's' submitted · 'a' accepted · 'w' waived · 'c' cancelled · '-' no row yet.
 */
const STORED_CELL_CODE_SQL = `CASE s.status
  WHEN 'pending' THEN '0' WHEN 'submitted' THEN 's' WHEN 'accepted' THEN 'a' WHEN 'waived' THEN 'w' WHEN 'cancelled' THEN 'c'
  WHEN 'open' THEN CASE WHEN s.escalation_level >= 2 THEN 'O' ELSE 'o' END
  WHEN 'returned' THEN CASE WHEN s.escalation_level >= 2 THEN 'R' ELSE 'r' END
  ELSE '-' END`;

/** Plan step keys and due offsets of every cycle_plan row of cycle $1, in plan order (stages, then steps). */
const FILL_PLAN_STEPS_SQL = `UPDATE cycle_plan p SET (step_keys, step_due) = (
    SELECT array_agg(st.v->>'key' ORDER BY s.si, st.ki),
           array_agg(extract(epoch FROM (st.v->>'dueAt')::timestamptz - c.starts_at)::int ORDER BY s.si, st.ki)
      FROM campaign_cycle c,
           jsonb_array_elements(p.plan->'stages') WITH ORDINALITY AS s(v, si),
           jsonb_array_elements(s.v->'steps') WITH ORDINALITY AS st(v, ki)
     WHERE c.id = p.cycle_id)
  WHERE p.cycle_id = $1`;

/**
 * Recomputes the cells of the cycle units of cycle $1 that `unitFilter` selects from their unit_step_status rows:
 * at most one plan's worth of rows per unit, so a workflow's write keeps its unit's cells in step in its transaction.
 */
const refreshCellsSql = (unitFilter: string) => `UPDATE cycle_unit cu SET (cells, cell_due) = (
    SELECT string_agg(COALESCE(${STORED_CELL_CODE_SQL}, '-'), '' ORDER BY k.i),
           CASE WHEN array_agg(COALESCE(extract(epoch FROM s.due_at - c.starts_at)::int, p.step_due[k.i]) ORDER BY k.i) = p.step_due THEN NULL
                ELSE array_agg(COALESCE(extract(epoch FROM s.due_at - c.starts_at)::int, p.step_due[k.i]) ORDER BY k.i) END
      FROM cycle_plan p
      JOIN campaign_cycle c ON c.id = p.cycle_id
      CROSS JOIN unnest(p.step_keys) WITH ORDINALITY AS k(key, i)
      LEFT JOIN unit_step_status s ON s.cycle_id = cu.cycle_id AND s.unit_id = cu.unit_id AND s.step_key = k.key
     WHERE p.cycle_id = cu.cycle_id AND p.unit_kind = cu.unit_kind
     GROUP BY p.step_due)
  WHERE cu.cycle_id = $1${unitFilter}
    -- a plan without step keys (written by something other than the cycle start) leaves the cells as they are
    AND EXISTS (SELECT 1 FROM cycle_plan p WHERE p.cycle_id = cu.cycle_id AND p.unit_kind = cu.unit_kind AND cardinality(p.step_keys) > 0)`;

const REFRESH_UNITS_SQL = refreshCellsSql(' AND cu.unit_id = ANY($2::uuid[])');
const REFRESH_CYCLE_SQL = refreshCellsSql('');

/**
 * The progress matrix's compact copy of the read model: per cycle unit one character per step of its kind's plan
 * (`cycle_unit.cells`, in `cycle_plan.step_keys` order) and, only when they differ from the plan's (an extension),
 * its due instants (`cycle_unit.cell_due`, seconds after the cycle's start). The matrix reads 10,000 short rows
 * instead of 400,000 step rows; the time-dependent statuses (due soon, overdue, escalated) are derived at read time
 * (apps/api/src/cycles/progress-matrix.service.ts).
 *
 * Its writes belong inside the caller's transaction: injected it runs on `Db` (which joins `Db.transaction`); code
 * holding a transaction's manager of its own constructs it on that (`new ProgressCellsRepository(tx)`).
 */
@Injectable()
export class ProgressCellsRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** Fills `cycle_plan.step_keys` / `step_due` of every plan of the cycle from the plan documents (the cycle start). */
  async fillPlanSteps(cycleId: string): Promise<void> {
    await this.db.query(FILL_PLAN_STEPS_SQL, [cycleId]);
  }

  /** Recomputes the cells of these units from their step rows (a read-model write, in its transaction). */
  async refreshUnits(cycleId: string, unitIds: string[]): Promise<void> {
    await this.db.query(REFRESH_UNITS_SQL, [cycleId, unitIds]);
  }

  /** Recomputes the cells of every unit of the cycle (rows written in bulk, e.g. a benchmark's seed). */
  async refreshCycle(cycleId: string): Promise<void> {
    await this.db.query(REFRESH_CYCLE_SQL, [cycleId]);
  }
}

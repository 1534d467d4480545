import { Inject, Injectable } from '@nestjs/common';
import type { CyclePlan } from '../../../../libs/domain/src';
import { Db, type Queryable } from '../../../../libs/persistence/src';

/** A unit kind's plan of the cycle with its step keys and due offsets in plan order (see ProgressCellsRepository). */
export interface MatrixPlanRow {
  unit_kind: string;
  plan: CyclePlan;
  step_keys: string[];
  step_due: number[];
}

/** One cycle unit's stored cells (plan order) and, only after an extension, its own due offsets. */
export interface MatrixStoredRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  stage: string | null;
  cells: string;
  due: number[] | null;
}

export interface MatrixRowFilters {
  kinds?: string[];
  /** Code of the subtree's root unit (the unit included). */
  subtree?: string;
  /** Text the unit's code or name contains (case-insensitive, taken literally). */
  search?: string;
}

const ROWS_SQL = `WITH RECURSIVE subtree AS (
    SELECT id FROM unit WHERE code = $3
    UNION ALL SELECT u.id FROM unit u JOIN subtree t ON u.parent_id = t.id
  )
  SELECT cu.unit_id AS id, u.code, u.name, cu.unit_kind AS kind, cu.current_stage AS stage, cu.cells, cu.cell_due AS due
    FROM cycle_unit cu JOIN unit u ON u.id = cu.unit_id
   WHERE cu.cycle_id = $1
     AND ($2::text[] IS NULL OR cu.unit_kind = ANY($2::text[]))
     AND ($3::text IS NULL OR cu.unit_id IN (SELECT id FROM subtree))
     AND ($4::text IS NULL OR u.code ILIKE $4 OR u.name ILIKE $4)
   ORDER BY u.code`;

/*
 * Every row version carries the id of the transaction that wrote it (xmin; an update writes a new version), so the
 * count and the sum of those ids per table change with any insert, update or delete of a row an answer is made of
 * (unchanged only if two writes' id changes cancelled out exactly). The unit table is taken whole — cheaper than
 * joining the cycle's units, and it covers a subtree filter's ancestors, which need not be in the cycle.
 */
const FINGERPRINT_SQL = `SELECT concat_ws(':', c.xmin::text,
    (SELECT count(*) || '/' || coalesce(sum(p.xmin::text::bigint), 0) FROM cycle_plan p WHERE p.cycle_id = c.id),
    (SELECT count(*) || '/' || coalesce(sum(cu.xmin::text::bigint), 0) FROM cycle_unit cu WHERE cu.cycle_id = c.id),
    (SELECT count(*) || '/' || coalesce(sum(u.xmin::text::bigint), 0) FROM unit u)) AS fingerprint
  FROM campaign_cycle c WHERE c.id = $1`;

/** The progress matrix's reads: short rows (libs/persistence/src/repositories/progress-cells.repository.ts), never step rows. */
@Injectable()
export class ProgressMatrixRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  plans(cycleId: string): Promise<MatrixPlanRow[]> {
    return this.db.query(
      'SELECT unit_kind, plan, step_keys, step_due FROM cycle_plan WHERE cycle_id = $1 ORDER BY unit_kind',
      [cycleId],
    );
  }

  async unitCodeExists(code: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM unit WHERE code = $1', [code])).length > 0;
  }

  /**
   * Changes whenever a row the cycle's matrix is made of changes (the cycle, its plans, its cycle units, any unit);
   * a fraction of reading the rows. Undefined for an unknown cycle.
   */
  async fingerprint(cycleId: string): Promise<string | undefined> {
    return (await this.db.query<{ fingerprint: string }>(FINGERPRINT_SQL, [cycleId]))[0]?.fingerprint;
  }

  /** Per unit of the cycle matching the filters, its stored cells, in one statement; ordered by unit code. */
  rows(cycleId: string, filters: MatrixRowFilters = {}): Promise<MatrixStoredRow[]> {
    const pattern = filters.search ? `%${filters.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null;
    return this.db.query(ROWS_SQL, [
      cycleId,
      filters.kinds?.length ? filters.kinds : null,
      filters.subtree ?? null,
      pattern,
    ]);
  }
}

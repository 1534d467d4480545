import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError } from '../../../../libs/domain/src';
import type { CyclePlan } from '../../../../libs/domain/src';
import { CycleQueriesService } from './cycle-queries.service';
import {
  MATRIX_CELL_STATUSES,
  type MatrixCellCode,
  type MatrixCountsDto,
  type MatrixStageDto,
  type MatrixStepDto,
  type MatrixUnitRowDto,
  type ProgressMatrixDto,
  type ProgressMatrixQuery,
} from './dto/progress-matrix.dto';

const HOUR = 3_600_000;

/**
 * One read-model row as its cell code ($3 = asOf, $4 = asOf + due-soon window). Open and returned steps wait for the
 * unit, so they show their deadline: escalated (a rung past the unit's own due notice, escalation_level = rung + 1),
 * overdue, due soon; otherwise returned / open.
 */
export const CELL_CODE_SQL = `CASE s.status
  WHEN 'pending' THEN '0' WHEN 'submitted' THEN 's' WHEN 'accepted' THEN 'a' WHEN 'waived' THEN 'w' WHEN 'cancelled' THEN 'c'
  ELSE CASE WHEN s.due_at < $3 THEN CASE WHEN s.escalation_level >= 2 THEN 'e' ELSE 'x' END
            WHEN s.due_at < $4 THEN 'd'
            WHEN s.status = 'returned' THEN 'r' ELSE 'o' END
END`;

/**
 * The matrix rows in one statement: for each unit of the cycle matching the filters, its cells in column order
 * ($2 = the column keys). Units are ordered by code. Exported so the benchmark times the same SQL raw.
 */
export const MATRIX_ROWS_SQL = `WITH RECURSIVE subtree AS (
    SELECT id FROM unit WHERE code = $6
    UNION ALL SELECT u.id FROM unit u JOIN subtree t ON u.parent_id = t.id
  )
  SELECT cu.unit_id AS id, u.code, u.name, cu.unit_kind AS kind, cu.current_stage AS stage,
         string_agg(${CELL_CODE_SQL}, '' ORDER BY c.i) AS cells
    FROM cycle_unit cu
    JOIN unit u ON u.id = cu.unit_id
    JOIN unit_step_status s ON s.cycle_id = cu.cycle_id AND s.unit_id = cu.unit_id
    JOIN unnest($2::text[]) WITH ORDINALITY AS c(step_key, i) ON c.step_key = s.step_key
   WHERE cu.cycle_id = $1
     AND ($5::text[] IS NULL OR cu.unit_kind = ANY($5::text[]))
     AND ($6::text IS NULL OR cu.unit_id IN (SELECT id FROM subtree))
     AND ($7::text IS NULL OR u.code ILIKE $7 OR u.name ILIKE $7)
   GROUP BY cu.unit_id, u.code, u.name, cu.unit_kind, cu.current_stage
   ORDER BY u.code`;

interface Column extends MatrixStepDto {
  stageIndex: number;
}

/** The progress matrix (units × steps) for the office's console, compact enough for a 10,000-unit district. */
@Injectable()
export class ProgressMatrixService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly queries: CycleQueriesService,
  ) {}

  async matrix(cycleId: string, q: ProgressMatrixQuery): Promise<ProgressMatrixDto> {
    await this.queries.row(cycleId);
    const asOf = q.asOf ? new Date(q.asOf) : new Date();
    const plans: { unit_kind: string; plan: CyclePlan }[] = await this.db.query('SELECT unit_kind, plan FROM cycle_plan WHERE cycle_id = $1 ORDER BY unit_kind', [cycleId]);
    const { stages, columns } = columnsOf(plans.map((p) => p.plan), q.stage);
    if (q.subtree && !(await this.db.query('SELECT 1 FROM unit WHERE code = $1', [q.subtree])).length) {
      throw DomainError.validation('unknown subtree root', [{ field: 'subtree', problem: `no unit with code "${q.subtree}"` }]);
    }
    const keys = columns.map((c) => c.key);
    const rows: MatrixUnitRowDto[] = await this.db.query(MATRIX_ROWS_SQL, [
      cycleId, keys, asOf, new Date(+asOf + (q.dueSoonHours ?? 72) * HOUR), q.kind?.length ? q.kind : null, q.subtree ?? null,
      q.search ? `%${q.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null,
    ]);
    await this.fillGaps(cycleId, rows, keys, asOf, q.dueSoonHours ?? 72);

    const wanted = q.status?.length ? new Set(Object.entries(MATRIX_CELL_STATUSES).filter(([, name]) => q.status!.includes(name)).map(([code]) => code)) : undefined;
    const matching = wanted ? rows.filter((r) => [...r.cells].some((ch) => wanted.has(ch))) : rows;
    const offset = q.offset ?? 0;
    const limit = q.limit ?? 1000;
    return {
      cycleId,
      asOf: asOf.toISOString(),
      legend: { ...MATRIX_CELL_STATUSES },
      stages,
      steps: columns.map(({ key, stageKey, title, opensAt, dueAt }) => ({ key, stageKey, title, opensAt, dueAt })),
      offset,
      limit,
      units: matching.slice(offset, offset + limit),
      totals: totalsOf(matching, columns, stages),
    };
  }

  /**
   * A unit whose kind lacks some columns, or whose rows are not all written (a cycle started before the start
   * transaction wrote them), gets '-' where it has no row: its cells are rebuilt from its rows one by one. Rare.
   */
  private async fillGaps(cycleId: string, rows: MatrixUnitRowDto[], keys: string[], asOf: Date, dueSoonHours: number) {
    const short = rows.filter((r) => r.cells.length !== keys.length);
    if (!short.length) return;
    const present: { id: string; i: string; code: string }[] = await this.db.query(
      `SELECT s.unit_id AS id, c.i, ${CELL_CODE_SQL} AS code
         FROM unit_step_status s JOIN unnest($2::text[]) WITH ORDINALITY AS c(step_key, i) ON c.step_key = s.step_key
        WHERE s.cycle_id = $1 AND s.unit_id = ANY($5::uuid[])`,
      [cycleId, keys, asOf, new Date(+asOf + dueSoonHours * HOUR), short.map((r) => r.id)],
    );
    const cells = new Map(short.map((r) => [r.id, Array<string>(keys.length).fill('-')]));
    for (const p of present) cells.get(p.id)![Number(p.i) - 1] = p.code;
    for (const r of short) r.cells = cells.get(r.id)!.join('');
  }
}

/** Columns: every step of every kind's plan once, stage by stage (first plan's stage order), then by window and due. */
export function columnsOf(plans: CyclePlan[], onlyStage?: string): { stages: MatrixStageDto[]; columns: Column[] } {
  const stageOrder: { key: string; title: string }[] = [];
  const byKey = new Map<string, Column>();
  for (const plan of plans) {
    for (const stage of plan.stages) {
      if (!stageOrder.some((s) => s.key === stage.key)) stageOrder.push({ key: stage.key, title: stage.title });
      for (const step of stage.steps) {
        const known = byKey.get(step.key);
        if (!known) byKey.set(step.key, { key: step.key, stageKey: stage.key, title: step.title, opensAt: step.opensAt, dueAt: step.dueAt, stageIndex: 0 });
        else {
          if (step.opensAt < known.opensAt) known.opensAt = step.opensAt;
          if (step.dueAt < known.dueAt) known.dueAt = step.dueAt;
        }
      }
    }
  }
  if (onlyStage !== undefined && !stageOrder.some((s) => s.key === onlyStage)) {
    throw DomainError.validation('unknown stage', [{ field: 'stage', problem: `no stage "${onlyStage}" in the cycle's plans (stages: ${stageOrder.map((s) => s.key).join(', ')})` }]);
  }
  const shownStages = stageOrder.filter((s) => onlyStage === undefined || s.key === onlyStage);
  const columns = [...byKey.values()]
    .filter((c) => shownStages.some((s) => s.key === c.stageKey))
    .map((c) => ({ ...c, stageIndex: shownStages.findIndex((s) => s.key === c.stageKey) }))
    .sort((a, b) => a.stageIndex - b.stageIndex || a.opensAt.localeCompare(b.opensAt) || a.dueAt.localeCompare(b.dueAt) || a.key.localeCompare(b.key));
  const stages = shownStages.map((s, index) => ({
    key: s.key,
    title: s.title,
    firstColumn: Math.max(0, columns.findIndex((c) => c.stageIndex === index)),
    columns: columns.filter((c) => c.stageIndex === index).length,
  }));
  return { stages, columns };
}

/** Cells per status, per stage and per kind, over every matching unit (not only the page). */
export function totalsOf(rows: MatrixUnitRowDto[], columns: Column[], stages: MatrixStageDto[]) {
  const stageOfColumn = columns.map((c) => stages[c.stageIndex].key);
  const raw = { byStage: new Map<string, Map<string, number>>(), byKind: new Map<string, Map<string, number>>() };
  const bump = (m: Map<string, Map<string, number>>, key: string, code: string) => {
    let counts = m.get(key);
    if (!counts) m.set(key, (counts = new Map()));
    counts.set(code, (counts.get(code) ?? 0) + 1);
  };
  for (const r of rows) {
    const cells = r.cells;
    for (let i = 0; i < cells.length; i++) {
      const code = cells[i];
      if (code === '-') continue;
      bump(raw.byStage, stageOfColumn[i], code);
      bump(raw.byKind, r.kind, code);
    }
  }
  const named = (m: Map<string, Map<string, number>>, keys: string[]) =>
    Object.fromEntries(
      keys.map((k): [string, MatrixCountsDto] => {
        const counts = m.get(k) ?? new Map<string, number>();
        const byStatus = Object.fromEntries([...counts].map(([code, n]) => [MATRIX_CELL_STATUSES[code as MatrixCellCode], n]));
        return [k, { cells: [...counts.values()].reduce((a, b) => a + b, 0), byStatus }];
      }),
    );
  return {
    units: rows.length,
    byStage: named(raw.byStage, stages.map((s) => s.key)),
    byKind: named(raw.byKind, [...new Set(rows.map((r) => r.kind))].sort()),
  };
}

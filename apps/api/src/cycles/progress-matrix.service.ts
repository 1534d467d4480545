import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../../libs/domain/src';
import { Db } from '../../../../libs/persistence/src';
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
 * The matrix rows in one statement over short rows: per unit of cycle $1 matching the filters, its stored cells
 * (libs/persistence/src/progress-cells.ts) and, only after an extension, its own due offsets. Units ordered by code.
 * Exported so the benchmark times the same SQL raw.
 */
export const MATRIX_ROWS_SQL = `WITH RECURSIVE subtree AS (
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

interface Column extends MatrixStepDto {
  stageIndex: number;
}

interface StoredRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  stage: string | null;
  cells: string;
  due: number[] | null;
}

/** A unit kind's plan order mapped onto the matrix columns, and the plan's due offsets. */
interface KindLayout {
  columnOf: number[];
  due: number[];
}

/** The progress matrix (units × steps) for the office's console, compact enough for a 10,000-unit district. */
@Injectable()
export class ProgressMatrixService {
  constructor(
    private readonly db: Db,
    private readonly queries: CycleQueriesService,
  ) {}

  async matrix(cycleId: string, q: ProgressMatrixQuery): Promise<ProgressMatrixDto> {
    const cycle = await this.queries.row(cycleId);
    const asOf = q.asOf ? new Date(q.asOf) : new Date();
    const plans: { unit_kind: string; plan: CyclePlan; step_keys: string[]; step_due: number[] }[] = await this.db.query(
      'SELECT unit_kind, plan, step_keys, step_due FROM cycle_plan WHERE cycle_id = $1 ORDER BY unit_kind',
      [cycleId],
    );
    const { stages, columns } = columnsOf(plans.map((p) => p.plan), q.stage);
    if (q.subtree && !(await this.db.query('SELECT 1 FROM unit WHERE code = $1', [q.subtree])).length) {
      throw DomainError.validation('unknown subtree root', [{ field: 'subtree', problem: `no unit with code "${q.subtree}"` }]);
    }
    const index = new Map(columns.map((c, i) => [c.key, i]));
    const layouts = new Map<string, KindLayout>(plans.map((p) => [p.unit_kind, { columnOf: p.step_keys.map((k) => index.get(k) ?? -1), due: p.step_due }]));
    const stored: StoredRow[] = await this.db.query(MATRIX_ROWS_SQL, [
      cycleId, q.kind?.length ? q.kind : null, q.subtree ?? null, q.search ? `%${q.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%` : null,
    ]);
    const shown = cellReader(+new Date(cycle.startsAt), +asOf, +asOf + (q.dueSoonHours ?? 72) * HOUR, columns.length);
    const rows: MatrixUnitRowDto[] = stored.map((r) => ({ id: r.id, code: r.code, name: r.name, kind: r.kind, stage: r.stage, cells: shown(r, layouts.get(r.kind)) }));

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
}

/**
 * Stored cells (plan order) → shown cells (column order): a step waiting for the unit shows its deadline as of
 * `asOfMs` — escalated (stored upper case) or overdue once due, due soon inside the window, else open / returned.
 */
export function cellReader(startsAtMs: number, asOfMs: number, soonMs: number, width: number) {
  return (row: { cells: string; due: number[] | null }, layout: KindLayout | undefined): string => {
    const out: string[] = Array<string>(width).fill('-');
    if (!layout) return out.join('');
    const due = row.due ?? layout.due;
    for (let i = 0; i < row.cells.length; i++) {
      const col = layout.columnOf[i];
      if (col === undefined || col < 0) continue;
      let code = row.cells[i];
      if (code === 'o' || code === 'r' || code === 'O' || code === 'R') {
        const dueMs = startsAtMs + due[i] * 1000;
        const escalated = code === 'O' || code === 'R';
        code = dueMs < asOfMs ? (escalated ? 'e' : 'x') : dueMs < soonMs ? 'd' : code.toLowerCase();
      }
      out[col] = code;
    }
    return out.join('');
  };
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

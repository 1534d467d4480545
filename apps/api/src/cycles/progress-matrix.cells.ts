/**
 * The progress matrix's arithmetic, pure and allocation-light because it runs over 10,000 units × 40 steps per
 * answer: plan columns, stored cells (plan order) → shown cells (column order) as of an instant, the interval of
 * instants that show the same cells (for the answer's ETag), and the totals.
 */
import { DomainError, type CyclePlan } from '../../../../libs/domain/src';
import {
  MATRIX_CELL_STATUSES,
  type MatrixCellCode,
  type MatrixCountsDto,
  type MatrixStageDto,
  type MatrixStepDto,
  type MatrixUnitRowDto,
} from './dto/progress-matrix.dto';

export interface Column extends MatrixStepDto {
  stageIndex: number;
}

/** A unit kind's plan order mapped onto the matrix columns, and the plan's due offsets (seconds after the cycle start). */
export interface KindLayout {
  columnOf: number[];
  due: number[];
}

/**
 * Every instant t with `after < t ≤ until` shows the same cells as the instant they were read at: a waiting step
 * changes only when t passes its due instant minus the due-soon window, and when t passes its due instant.
 */
export interface Validity {
  after: number;
  until: number;
}

const WAITING = new Set(['o', 'r', 'O', 'R']);

/**
 * Stored cells → shown cells as of `asOfMs`: a step waiting for the unit shows its deadline — escalated (stored
 * upper case) or overdue once due, due soon inside the window, else open / returned. `validity` narrows with every
 * row read.
 */
export function shownCellsReader(startsAtMs: number, asOfMs: number, soonWindowMs: number, width: number) {
  const validity: Validity = { after: -Infinity, until: Infinity };
  const blank = '-'.repeat(width);
  const boundary = (b: number) => {
    if (b < asOfMs) validity.after = Math.max(validity.after, b);
    else validity.until = Math.min(validity.until, b);
  };
  const identical = new Map<KindLayout, boolean>();
  /** Per kind, stored cells → shown cells for rows on the plan's own dues: units share a few patterns. */
  const shownOf = new Map<KindLayout, Map<string, string>>();
  const convert = (cells: string, due: number[], layout: KindLayout): string => {
    const out: string[] = Array<string>(width).fill('-');
    for (let i = 0; i < cells.length; i++) {
      const col = layout.columnOf[i];
      if (col === undefined || col < 0) continue;
      let code = cells[i];
      if (WAITING.has(code)) {
        const dueMs = startsAtMs + due[i] * 1000;
        boundary(dueMs - soonWindowMs);
        boundary(dueMs);
        const escalated = code === 'O' || code === 'R';
        code = dueMs < asOfMs ? (escalated ? 'e' : 'x') : dueMs < asOfMs + soonWindowMs ? 'd' : code.toLowerCase();
      }
      out[col] = code;
    }
    return out.join('');
  };
  const read = (row: { cells: string; due: number[] | null }, layout: KindLayout | undefined): string => {
    if (!layout) return blank;
    let inOrder = identical.get(layout);
    if (inOrder === undefined)
      identical.set(layout, (inOrder = layout.columnOf.length === width && layout.columnOf.every((c, i) => c === i)));
    // Most rows of a big cycle have nothing waiting in view of a deadline: the stored string is the shown one.
    if (inOrder && row.cells.length === width && !/[orOR]/.test(row.cells)) return row.cells;
    if (row.due) return convert(row.cells, row.due, layout); // an extension: this unit's own dues
    let known = shownOf.get(layout);
    if (!known) shownOf.set(layout, (known = new Map<string, string>()));
    let shown = known.get(row.cells);
    if (shown === undefined) known.set(row.cells, (shown = convert(row.cells, layout.due, layout)));
    return shown;
  };
  return { read, validity };
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
        if (!known)
          byKey.set(step.key, {
            key: step.key,
            stageKey: stage.key,
            title: step.title,
            opensAt: step.opensAt,
            dueAt: step.dueAt,
            stageIndex: 0,
          });
        else {
          if (step.opensAt < known.opensAt) known.opensAt = step.opensAt;
          if (step.dueAt < known.dueAt) known.dueAt = step.dueAt;
        }
      }
    }
  }
  if (onlyStage !== undefined && !stageOrder.some((s) => s.key === onlyStage)) {
    throw DomainError.validation('unknown stage', [
      {
        field: 'stage',
        problem: `no stage "${onlyStage}" in the cycle's plans (stages: ${stageOrder.map((s) => s.key).join(', ')})`,
      },
    ]);
  }
  const shownStages = stageOrder.filter((s) => onlyStage === undefined || s.key === onlyStage);
  const columns = [...byKey.values()]
    .filter((c) => shownStages.some((s) => s.key === c.stageKey))
    .map((c) => ({ ...c, stageIndex: shownStages.findIndex((s) => s.key === c.stageKey) }))
    .sort(
      (a, b) =>
        a.stageIndex - b.stageIndex ||
        a.opensAt.localeCompare(b.opensAt) ||
        a.dueAt.localeCompare(b.dueAt) ||
        a.key.localeCompare(b.key),
    );
  const stages = shownStages.map((s, index) => ({
    key: s.key,
    title: s.title,
    firstColumn: Math.max(
      0,
      columns.findIndex((c) => c.stageIndex === index),
    ),
    columns: columns.filter((c) => c.stageIndex === index).length,
  }));
  return { stages, columns };
}

const CODES = Object.keys(MATRIX_CELL_STATUSES) as MatrixCellCode[];
/** Cell code (char code) → index in CODES, -1 for anything else; '-' (not in the plan) is never counted. */
const CODE_INDEX = new Int8Array(128).fill(-1);
CODES.forEach((c, i) => (CODE_INDEX[c.charCodeAt(0)] = c === '-' ? -1 : i));

/** Rows with at least one shown cell whose code is in `codes`. */
export function withAnyCode(rows: MatrixUnitRowDto[], codes: string[]): MatrixUnitRowDto[] {
  const wanted = new Uint8Array(128);
  for (const c of codes) wanted[c.charCodeAt(0)] = 1;
  return rows.filter((r) => {
    for (let i = 0; i < r.cells.length; i++) if (wanted[r.cells.charCodeAt(i)]) return true;
    return false;
  });
}

/** Cells per status, per stage and per kind, over every matching unit (not only the page): one counter array each. */
export function totalsOf(rows: MatrixUnitRowDto[], columns: Column[], stages: MatrixStageDto[]) {
  const n = CODES.length;
  const stageOfColumn = columns.map((c) => c.stageIndex);
  const byStage = new Int32Array(stages.length * n);
  const byKind = new Map<string, Int32Array>();
  for (const r of rows) {
    let kindCounts = byKind.get(r.kind);
    if (!kindCounts) byKind.set(r.kind, (kindCounts = new Int32Array(n)));
    const cells = r.cells;
    for (let i = 0; i < cells.length; i++) {
      const code = CODE_INDEX[cells.charCodeAt(i)];
      if (code < 0) continue;
      byStage[stageOfColumn[i] * n + code]++;
      kindCounts[code]++;
    }
  }
  const named = (counts: Int32Array, from = 0): MatrixCountsDto => {
    const byStatus: MatrixCountsDto['byStatus'] = {};
    let cells = 0;
    for (let c = 0; c < n; c++) {
      const k = counts[from + c];
      if (!k) continue;
      byStatus[MATRIX_CELL_STATUSES[CODES[c]]] = k;
      cells += k;
    }
    return { cells, byStatus };
  };
  return {
    units: rows.length,
    byStage: Object.fromEntries(stages.map((s, i) => [s.key, named(byStage, i * n)])),
    byKind: Object.fromEntries([...byKind.keys()].sort().map((k) => [k, named(byKind.get(k)!)])),
  };
}

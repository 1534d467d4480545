import { memo } from 'react';
import { STEP_STATUS_COLORS, type StepDisplayStatus } from '../../shared/status';

export const ROW_H = 26;
export const COL_W = 34;
export const LABEL_W = 260;
const CELL_GAP = 3;

export const unitPagePath = (cycleId: string, unitCode: string, stepKey?: string) =>
  `/cycles/${cycleId}/units/${encodeURIComponent(unitCode)}${stepKey ? `?step=${encodeURIComponent(stepKey)}` : ''}`;

export const ROW_CSS =
  `.matrix-labels{position:sticky;left:0;z-index:2;width:${LABEL_W}px;background:#fff;border-right:1px solid #e8e8e8;box-sizing:border-box}` +
  `.matrix-label{position:absolute;left:0;width:${LABEL_W - 1}px;height:${ROW_H}px;line-height:${ROW_H}px;padding:0 8px;box-sizing:border-box;border-bottom:1px solid #f5f5f5;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;font-size:12px}` +
  `.matrix-label a{color:inherit}.matrix-label span{color:rgba(0,0,0,.65);margin-right:6px}` +
  `.matrix-strip{position:absolute;height:${ROW_H}px;border-bottom:1px solid #f5f5f5;box-sizing:border-box;background-repeat:no-repeat;background-position:0 ${CELL_GAP}px;background-size:100% ${ROW_H - 2 * CELL_GAP}px}`;

/*
 * Cells in view → one hard-stop gradient: a row's cells are one element and one paint operation however many
 * columns it shows (the trace showed forty elements per row, and then forty background layers, costing the frame).
 * Rows of a cycle repeat the same few patterns: each is computed once.
 */
const gradients = new Map<string, string>();
let gradientsOf: Map<string, StepDisplayStatus | null> | undefined;
function gradientOf(cells: string, display: Map<string, StepDisplayStatus | null>): string {
  if (gradientsOf !== display) {
    gradients.clear();
    gradientsOf = display;
  }
  let gradient = gradients.get(cells);
  if (gradient !== undefined) return gradient;
  const stops: string[] = [];
  for (let i = 0; i < cells.length; i++) {
    const d = display.get(cells[i]);
    if (!d) continue; // not in this unit's plan: nothing drawn
    const x = i * COL_W + CELL_GAP;
    stops.push(
      `transparent ${x}px`,
      `${STEP_STATUS_COLORS[d]} ${x}px ${x + COL_W - 2 * CELL_GAP}px`,
      `transparent ${x + COL_W - 2 * CELL_GAP}px`,
    );
  }
  gradient = stops.length ? `linear-gradient(to right,${stops.join(',')})` : 'none';
  if (gradients.size > 20_000) gradients.clear();
  gradients.set(cells, gradient);
  return gradient;
}

/** A unit's label in the sticky unit column: a link to the unit page. Memoised on its values. */
export const MatrixLabel = memo(function MatrixLabel(p: { cycleId: string; code: string; name: string; top: number }) {
  return (
    <div className="matrix-label" style={{ top: p.top }}>
      <a href={unitPagePath(p.cycleId, p.code)}>
        <span>{p.code}</span>
        {p.name}
      </a>
    </div>
  );
});

/**
 * A unit's cells in the columns `first`..`last`, drawn as one element. Memoised on its values: a refetch that
 * changed other units, or a scroll that keeps it in view, does not render it again.
 */
export const MatrixStrip = memo(function MatrixStrip(p: {
  code: string;
  cells: string;
  top: number;
  first: number;
  last: number;
  display: Map<string, StepDisplayStatus | null>;
}) {
  const backgroundImage = gradientOf(p.cells.slice(p.first, p.last + 1), p.display);
  return (
    <div
      className="matrix-strip"
      data-row={p.code}
      style={{ top: p.top, left: LABEL_W + p.first * COL_W, width: (p.last - p.first + 1) * COL_W, backgroundImage }}
    />
  );
});

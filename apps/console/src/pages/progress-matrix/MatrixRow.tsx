import { memo } from 'react';
import { STEP_STATUS_COLORS, type StepDisplayStatus } from '../../shared/status';

export const ROW_H = 26;
export const COL_W = 34;
export const LABEL_W = 260;
const CELL_GAP = 3;

export const unitPagePath = (cycleId: string, unitCode: string, stepKey?: string) =>
  `/cycles/${cycleId}/units/${encodeURIComponent(unitCode)}${stepKey ? `?step=${encodeURIComponent(stepKey)}` : ''}`;

export const ROW_CSS =
  `.matrix-row{position:absolute;left:0;height:${ROW_H}px;border-bottom:1px solid #f5f5f5}` +
  `.matrix-label{position:sticky;left:0;z-index:2;width:${LABEL_W}px;height:${ROW_H}px;line-height:${ROW_H}px;padding:0 8px;box-sizing:border-box;background:#fff;border-right:1px solid #e8e8e8;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;font-size:12px}` +
  `.matrix-label a{color:inherit}.matrix-label span{color:rgba(0,0,0,.65);margin-right:6px}` +
  `.matrix-strip{position:absolute;top:0;height:${ROW_H}px;background-repeat:no-repeat;background-size:${COL_W - 2 * CELL_GAP}px ${ROW_H - 2 * CELL_GAP}px}`;

interface Strip {
  backgroundImage: string;
  backgroundPosition: string;
}

/*
 * Cells in view → one background layer per drawn cell (a one-colour gradient placed at its column), so a row is
 * one element however many columns it shows. Rows of a cycle repeat the same few patterns: computed once each.
 */
const strips = new Map<string, Strip>();
let stripsOf: Map<string, StepDisplayStatus | null> | undefined;
function stripOf(cells: string, display: Map<string, StepDisplayStatus | null>): Strip {
  if (stripsOf !== display) {
    strips.clear();
    stripsOf = display;
  }
  let strip = strips.get(cells);
  if (strip) return strip;
  const images: string[] = [];
  const positions: string[] = [];
  for (let i = 0; i < cells.length; i++) {
    const d = display.get(cells[i]);
    if (!d) continue; // not in this unit's plan: nothing drawn
    const c = STEP_STATUS_COLORS[d];
    images.push(`linear-gradient(${c},${c})`);
    positions.push(`${i * COL_W + CELL_GAP}px ${CELL_GAP}px`);
  }
  strip = { backgroundImage: images.join(',') || 'none', backgroundPosition: positions.join(',') || '0 0' };
  if (strips.size > 20_000) strips.clear();
  strips.set(cells, strip);
  return strip;
}

/**
 * A unit's row: its label (a link to the unit page) and the strip of its cells in the columns `first`..`last`.
 * Memoised on its values: a refetch that changed other units, or a scroll that keeps it in view, does not render it.
 */
export const MatrixRow = memo(function MatrixRow(p: {
  cycleId: string;
  code: string;
  name: string;
  cells: string;
  top: number;
  first: number;
  last: number;
  width: number;
  display: Map<string, StepDisplayStatus | null>;
}) {
  const strip = stripOf(p.cells.slice(p.first, p.last + 1), p.display);
  return (
    <div className="matrix-row" data-row={p.code} style={{ top: p.top, width: p.width }}>
      <div className="matrix-label">
        <a href={unitPagePath(p.cycleId, p.code)}>
          <span>{p.code}</span>
          {p.name}
        </a>
      </div>
      <div className="matrix-strip" data-first={p.first} style={{ left: LABEL_W + p.first * COL_W, width: (p.last - p.first + 1) * COL_W, ...strip }} />
    </div>
  );
});

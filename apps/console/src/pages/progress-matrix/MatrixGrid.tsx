import { useVirtualizer } from '@tanstack/react-virtual';
import { Typography } from 'antd';
import { memo, useCallback, useMemo, useRef } from 'react';
import { useNavigate } from 'react-router-dom';
import { useT } from '../../i18n/I18nProvider';
import { STEP_STATUS_COLORS, type StepDisplayStatus } from '../../shared/status';
import { decodeLegend, type Matrix } from './matrix';

const ROW_H = 26;
const COL_W = 34;
const CELL_GAP = 3;
const LABEL_W = 260;
const STAGE_H = 26;
const STEP_H = 120;
const HEADER_H = STAGE_H + STEP_H;
/*
 * Rows and columns rendered beyond the viewport. Every row that scrolls in costs one row of links, so a small
 * margin: enough to hide a frame's lag on a wheel or key step, not a second screen rendered for nothing on a jump.
 */
const ROW_OVERSCAN = 3;
const COL_OVERSCAN = 1;

export const unitPagePath = (cycleId: string, unitCode: string, stepKey?: string) =>
  `/cycles/${cycleId}/units/${encodeURIComponent(unitCode)}${stepKey ? `?step=${encodeURIComponent(stepKey)}` : ''}`;

/** What every row needs and that changes only with the answer's columns or legend: computed once, not per cell. */
interface Columns {
  cycleId: string;
  keys: string[];
  /** `?step=<key>` per column, encoded once. */
  stepQuery: string[];
  titles: string[];
  /** Cell code → display status (null: not in the unit's plan, nothing drawn). */
  display: Map<string, StepDisplayStatus | null>;
  statusText: Map<StepDisplayStatus, string>;
}

/**
 * Units × steps, virtualised both ways (@tanstack/react-virtual): only the rows and columns in view are in the DOM,
 * so 10,000 units × 40 steps costs the same as 100. The unit column and the header stay put while scrolling.
 *
 * Built for the scroll path: a row is memoised on its values (a refetch that changed other units, or a scroll that
 * keeps it in view, does not render it again); a cell is a bare link coloured by a stylesheet rule for its
 * `data-status` (no style object per cell) and laid out by the row's flex strip; its tooltip is set when the
 * pointer first reaches it. Every cell links to the unit page on that step (one click handler for all of them).
 */
export const MatrixGrid = memo(function MatrixGrid({ matrix, cycleId, height }: { matrix: Matrix; cycleId: string; height: number | string }) {
  const t = useT();
  const navigate = useNavigate();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { units } = matrix;
  // A new answer (a unit changed) brings equal columns, stages and legend as new objects: keep the held ones, so
  // the header and the rows whose values did not change are not rendered again.
  const steps = useSame(matrix.steps, (s) => s.map((x) => `${x.key}\u0000${x.title}`).join('\u0001'));
  const stages = useSame(matrix.stages, (s) => JSON.stringify(s));
  const legend = useSame(matrix.legend, (l) => JSON.stringify(l));
  const { display } = useMemo(() => decodeLegend(legend), [legend]);
  const columns = useMemo<Columns>(() => {
    const statusText = new Map<StepDisplayStatus, string>();
    for (const d of display.values()) if (d) statusText.set(d, t(`stepStatus.${d}`));
    return { cycleId, keys: steps.map((s) => s.key), stepQuery: steps.map((s) => `?step=${encodeURIComponent(s.key)}`), titles: steps.map((s) => s.title), display, statusText };
  }, [cycleId, steps, display, t]);
  const rows = useVirtualizer({ count: units.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: ROW_OVERSCAN });
  const cols = useVirtualizer({ horizontal: true, count: steps.length, getScrollElement: () => scrollRef.current, estimateSize: () => COL_W, overscan: COL_OVERSCAN });
  const virtualCols = cols.getVirtualItems();
  const first = virtualCols.length ? virtualCols[0].index : 0;
  const last = virtualCols.length ? virtualCols[virtualCols.length - 1].index : -1;

  const onClick = useCallback(
    (e: React.MouseEvent) => {
      const a = (e.target as HTMLElement).closest('a[href]');
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(a.getAttribute('href')!);
    },
    [navigate],
  );
  // The tooltip of a cell (its accessible name), set only for cells the pointer reaches: not 400 strings per frame.
  const onPointerOver = useCallback((e: React.PointerEvent) => {
    const a = e.target as HTMLElement;
    if (a.classList.contains('matrix-cell') && !a.title) a.title = a.getAttribute('aria-label') ?? '';
  }, []);

  const width = LABEL_W + cols.getTotalSize();
  return (
    <div
      ref={scrollRef}
      data-testid="matrix-scroll"
      onClick={onClick}
      onPointerOver={onPointerOver}
      style={{ height: `min(${HEADER_H + units.length * ROW_H + 2}px, ${typeof height === 'number' ? `${height}px` : height})`, overflow: 'auto', position: 'relative', border: '1px solid #f0f0f0', borderRadius: 6, background: '#fff', contain: 'strict' }}
    >
      <style>{GRID_CSS}</style>
      <div style={{ width, height: HEADER_H + rows.getTotalSize(), position: 'relative' }}>
        <MatrixHeader stages={stages} steps={steps} first={first} last={last} width={width} unitsLabel={t('matrix.unitColumn', { n: units.length })} />
        {rows.getVirtualItems().map((r) => {
          const u = units[r.index];
          return <MatrixRow key={u.id} code={u.code} name={u.name} cells={u.cells} top={HEADER_H + r.start} first={first} last={last} width={width} columns={columns} />;
        })}
      </div>
    </div>
  );
});

/** `value`, or the value held from an earlier render when both have the same `signature`. */
function useSame<T>(value: T, signature: (v: T) => string): T {
  const held = useRef<{ value: T; signature: string } | null>(null);
  const sig = signature(value);
  if (held.current?.signature !== sig) held.current = { value, signature: sig };
  return held.current.value;
}

const GRID_CSS =
  `.matrix-row{position:absolute;left:0;height:${ROW_H}px;border-bottom:1px solid #f5f5f5}` +
  `.matrix-label{position:sticky;left:0;z-index:2;width:${LABEL_W}px;height:${ROW_H}px;line-height:${ROW_H}px;padding:0 8px;box-sizing:border-box;background:#fff;border-right:1px solid #e8e8e8;overflow:hidden;white-space:nowrap;text-overflow:ellipsis;font-size:12px}` +
  `.matrix-label a{color:inherit}.matrix-label span{color:rgba(0,0,0,.65);margin-right:6px}` +
  `.matrix-strip{position:absolute;top:0;display:flex;height:${ROW_H}px}` +
  `.matrix-cell,.matrix-gap{flex:none;width:${COL_W - 2 * CELL_GAP}px;height:${ROW_H - 2 * CELL_GAP}px;margin:${CELL_GAP}px;border-radius:3px}` +
  Object.entries(STEP_STATUS_COLORS)
    .map(([status, colour]) => `.matrix-cell[data-status="${status}"]{background:${colour}}`)
    .join('');

/** A unit's row: its label and the cells of the columns in view. Renders again only when one of its values changes. */
const MatrixRow = memo(function MatrixRow(p: { code: string; name: string; cells: string; top: number; first: number; last: number; width: number; columns: Columns }) {
  const { cycleId, keys, stepQuery, titles, display, statusText } = p.columns;
  const unitPath = unitPagePath(cycleId, p.code);
  const links: React.ReactNode[] = [];
  for (let i = p.first; i <= p.last; i++) {
    const d = display.get(p.cells[i]);
    if (!d) {
      links.push(<span key={i} className="matrix-gap" />);
      continue;
    }
    links.push(<a key={i} className="matrix-cell" href={unitPath + stepQuery[i]} data-step={keys[i]} data-status={d} aria-label={`${p.name} · ${titles[i]}：${statusText.get(d)}`} />);
  }
  return (
    <div className="matrix-row" data-row={p.code} style={{ top: p.top, width: p.width }}>
      <div className="matrix-label">
        <a href={unitPath} data-unit={p.code}>
          <span>{p.code}</span>
          {p.name}
        </a>
      </div>
      <div className="matrix-strip" style={{ left: LABEL_W + p.first * COL_W }}>
        {links}
      </div>
    </div>
  );
});

/** Stage bands over the step titles; sticky on top, its first cell sticky on the left too. Not rendered again on a vertical scroll. */
const MatrixHeader = memo(function MatrixHeader({ stages, steps, first, last, width, unitsLabel }: { stages: Matrix['stages']; steps: Matrix['steps']; first: number; last: number; width: number; unitsLabel: string }) {
  const titles: React.ReactNode[] = [];
  for (let i = first; i <= last; i++) {
    const step = steps[i];
    titles.push(
      <div
        key={step.key}
        title={step.title}
        style={{ position: 'absolute', top: STAGE_H, left: LABEL_W + i * COL_W, width: COL_W, height: STEP_H, writingMode: 'vertical-rl', padding: '6px 0', boxSizing: 'border-box', borderRight: '1px solid #f0f0f0', overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', fontSize: 12, lineHeight: `${COL_W}px` }}
      >
        {step.title}
      </div>,
    );
  }
  return (
    <div style={{ position: 'sticky', top: 0, zIndex: 3, height: HEADER_H, width, background: '#fafafa', borderBottom: '1px solid #e8e8e8' }}>
      <div style={{ position: 'sticky', left: 0, zIndex: 4, width: LABEL_W, height: HEADER_H, background: '#fafafa', borderRight: '1px solid #e8e8e8', display: 'flex', alignItems: 'flex-end', padding: 8, boxSizing: 'border-box' }}>
        <Typography.Text strong>{unitsLabel}</Typography.Text>
      </div>
      {stages.map((s) => (
        <div
          key={s.key}
          title={s.title}
          style={{ position: 'absolute', top: 0, left: LABEL_W + s.firstColumn * COL_W, width: s.columns * COL_W, height: STAGE_H, lineHeight: `${STAGE_H}px`, padding: '0 6px', boxSizing: 'border-box', borderRight: '1px solid #e8e8e8', borderBottom: '1px solid #e8e8e8', overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', fontWeight: 600 }}
        >
          {s.title}
        </div>
      ))}
      {titles}
    </div>
  );
});

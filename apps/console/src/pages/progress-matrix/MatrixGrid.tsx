import { useVirtualizer } from '@tanstack/react-virtual';
import { Typography } from 'antd';
import { memo, useCallback, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useT } from '../../i18n/I18nProvider';
import { decodeLegend, type Matrix } from './matrix';
import { COL_W, LABEL_W, MatrixLabel, MatrixStrip, ROW_CSS, ROW_H, unitPagePath } from './MatrixRow';

export { unitPagePath } from './MatrixRow';

const STAGE_H = 26;
const STEP_H = 120;
const HEADER_H = STAGE_H + STEP_H;
/*
 * Rows and columns rendered beyond the viewport. Every row that scrolls in costs a row, so a small margin: enough
 * to hide a frame's lag on a wheel or key step, not a second screen rendered for nothing on a jump.
 */
const ROW_OVERSCAN = 2;
const COL_OVERSCAN = 1;

const GRID_CSS =
  ROW_CSS +
  `.matrix-active-cell{position:absolute;z-index:1;width:${COL_W}px;height:${ROW_H}px;box-sizing:border-box;border-radius:4px}` +
  `.matrix-active-cell:hover,.matrix-active-cell:focus-visible{outline:2px solid #0958d9;outline-offset:-1px}` +
  `.matrix-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}`;

/**
 * Units × steps, virtualised both ways (@tanstack/react-virtual): only the rows and columns in view are in the DOM,
 * so 10,000 units × 40 steps costs the same as 100. The unit column and the header stay put while scrolling.
 *
 * Built for the scroll path, where every row that comes into view is new: a row is a label link in the one sticky
 * unit column and one strip element whose cells are one gradient (MatrixRow), not forty elements to create, style,
 * lay out and paint. The
 * cell under the pointer, or the keyboard's current cell, is one real link laid over it (the active cell): it
 * names the unit, step and status, opens the unit page on that step, and moves with the arrow keys, Page Up/Down
 * and Home/End.
 */
export const MatrixGrid = memo(function MatrixGrid({
  matrix,
  cycleId,
  height,
}: {
  matrix: Matrix;
  cycleId: string;
  height: number | string;
}) {
  const t = useT();
  const navigate = useNavigate();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { units } = matrix;
  // A new answer (a unit changed) brings equal columns, stages and legend as new objects: keep the held ones, so
  // the header and the rows whose values did not change are not rendered again.
  const steps = useSame(matrix.steps, (s) => s.map((x) => `${x.key}\u0000${x.title}`).join('\u0001'));
  const stages = useSame(matrix.stages, (s) => JSON.stringify(s));
  const legend = useSame(matrix.legend, (l) => JSON.stringify(l));
  const display = useMemo(() => decodeLegend(legend), [legend]);

  const rows = useVirtualizer({
    count: units.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_H,
    overscan: ROW_OVERSCAN,
    paddingStart: HEADER_H,
    scrollPaddingStart: HEADER_H,
  });
  const cols = useVirtualizer({
    horizontal: true,
    count: steps.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => COL_W,
    overscan: COL_OVERSCAN,
    paddingStart: LABEL_W,
    scrollPaddingStart: LABEL_W,
  });
  const virtualCols = cols.getVirtualItems();
  const first = virtualCols.length ? virtualCols[0].index : 0;
  const last = virtualCols.length ? virtualCols[virtualCols.length - 1].index : -1;

  const [active, setActive] = useState({ row: 0, col: 0 });
  const [announced, setAnnounced] = useState('');
  const row = Math.min(active.row, units.length - 1);
  const col = Math.min(active.col, steps.length - 1);

  const onClick = useCallback(
    (e: React.MouseEvent) => {
      const a = (e.target as HTMLElement).closest('a[href]');
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      void navigate(a.getAttribute('href')!);
    },
    [navigate],
  );
  // The pointer's cell becomes the active one (read from the geometry: the strips hold no per-cell elements).
  const onPointerMove = useCallback(
    (e: React.PointerEvent) => {
      const el = scrollRef.current!;
      const box = el.getBoundingClientRect();
      const x = e.clientX - box.left - el.clientLeft;
      const y = e.clientY - box.top - el.clientTop;
      if (x < LABEL_W || y < HEADER_H) return;
      const r = Math.floor((y + el.scrollTop - HEADER_H) / ROW_H);
      const c = Math.floor((x + el.scrollLeft - LABEL_W) / COL_W);
      if (r < units.length && c < steps.length) setActive((a) => (a.row === r && a.col === c ? a : { row: r, col: c }));
    },
    [units.length, steps.length],
  );

  const unit = units[row];
  const step = steps[col];
  const status = unit && step ? display.get(unit.cells[col]) : undefined;
  const label =
    unit && step ? `${unit.name} · ${step.title}：${status ? t(`stepStatus.${status}`) : t('matrix.notInPlan')}` : '';
  const onKeyDown = (e: React.KeyboardEvent) => {
    const el = scrollRef.current!;
    const page = Math.max(1, Math.floor((el.clientHeight - HEADER_H) / ROW_H) - 1);
    const move: Record<string, [number, number]> = {
      ArrowUp: [row - 1, col],
      ArrowDown: [row + 1, col],
      ArrowLeft: [row, col - 1],
      ArrowRight: [row, col + 1],
      PageUp: [row - page, col],
      PageDown: [row + page, col],
      Home: e.ctrlKey ? [0, 0] : [row, 0],
      End: e.ctrlKey ? [units.length - 1, steps.length - 1] : [row, steps.length - 1],
    };
    const to = move[e.key];
    if (!to) return;
    e.preventDefault();
    const next = { row: clamp(to[0], units.length), col: clamp(to[1], steps.length) };
    setActive(next);
    rows.scrollToIndex(next.row, { align: 'auto' });
    cols.scrollToIndex(next.col, { align: 'auto' });
    const u = units[next.row];
    const d = display.get(u.cells[next.col]);
    setAnnounced(`${u.name} · ${steps[next.col].title}：${d ? t(`stepStatus.${d}`) : t('matrix.notInPlan')}`);
  };

  const width = cols.getTotalSize();
  const virtualRows = rows.getVirtualItems();
  /*
   * Rows are keyed by slot (index modulo the most rows ever rendered at once), not by unit: a row scrolling in takes
   * the slot, and the DOM elements, of the row that scrolled out — updated in place, never created and thrown away
   * (the trace of a long scroll showed garbage collection of those elements behind the longest frames).
   */
  const slots = Math.ceil((rows.scrollRect?.height ?? 900) / ROW_H) + 2 * ROW_OVERSCAN + 2;
  return (
    <div
      ref={scrollRef}
      data-testid="matrix-scroll"
      onClick={onClick}
      onPointerMove={onPointerMove}
      style={{
        height: `min(${HEADER_H + units.length * ROW_H + 2}px, ${typeof height === 'number' ? `${height}px` : height})`,
        overflow: 'auto',
        position: 'relative',
        border: '1px solid #f0f0f0',
        borderRadius: 6,
        background: '#fff',
        contain: 'strict',
      }}
    >
      <style>{GRID_CSS}</style>
      <div style={{ width, height: rows.getTotalSize(), position: 'relative' }}>
        <MatrixHeader
          stages={stages}
          steps={steps}
          columns={virtualCols.map((c) => c.index)}
          width={width}
          unitsLabel={t('matrix.unitColumn', { n: units.length })}
        />
        {/* One sticky unit column for all labels (not one sticky element, and layer, per row). */}
        <div className="matrix-labels" style={{ height: rows.getTotalSize() - HEADER_H }}>
          {virtualRows.map((r) => {
            const u = units[r.index];
            return (
              <MatrixLabel
                key={r.index % slots}
                cycleId={cycleId}
                code={u.code}
                name={u.name}
                top={r.start - HEADER_H}
              />
            );
          })}
        </div>
        {virtualRows.map((r) => {
          const u = units[r.index];
          return (
            <MatrixStrip
              key={r.index % slots}
              code={u.code}
              cells={u.cells}
              top={r.start}
              first={first}
              last={last}
              display={display}
            />
          );
        })}
        {unit && step && (
          <a
            className="matrix-active-cell"
            href={unitPagePath(cycleId, unit.code, status ? step.key : undefined)}
            data-unit={unit.code}
            data-step={step.key}
            data-status={status ?? 'notInPlan'}
            aria-label={label}
            aria-describedby="matrix-cell-hint"
            title={label}
            onKeyDown={onKeyDown}
            style={{ top: HEADER_H + row * ROW_H, left: LABEL_W + col * COL_W }}
          />
        )}
      </div>
      <span id="matrix-cell-hint" className="matrix-hidden">
        {t('matrix.cellHint')}
      </span>
      <span className="matrix-hidden" aria-live="polite">
        {announced}
      </span>
    </div>
  );
});

const clamp = (i: number, n: number) => Math.max(0, Math.min(n - 1, i));

/** `value`, or the value held from an earlier render when both have the same `signature`. */
function useSame<T>(value: T, signature: (v: T) => string): T {
  const held = useRef<{ value: T; signature: string } | null>(null);
  const sig = signature(value);
  if (held.current?.signature !== sig) held.current = { value, signature: sig };
  return held.current.value;
}

/** Stage bands over the step titles; sticky on top, its first cell sticky on the left too. Not rendered again on a vertical scroll. */
const MatrixHeader = memo(
  function MatrixHeader({
    stages,
    steps,
    columns,
    width,
    unitsLabel,
  }: {
    stages: Matrix['stages'];
    steps: Matrix['steps'];
    columns: number[];
    width: number;
    unitsLabel: string;
  }) {
    return (
      <div
        style={{
          position: 'sticky',
          top: 0,
          zIndex: 3,
          height: HEADER_H,
          width,
          background: '#fafafa',
          borderBottom: '1px solid #e8e8e8',
        }}
      >
        <div
          style={{
            position: 'sticky',
            left: 0,
            zIndex: 4,
            width: LABEL_W,
            height: HEADER_H,
            background: '#fafafa',
            borderRight: '1px solid #e8e8e8',
            display: 'flex',
            alignItems: 'flex-end',
            padding: 8,
            boxSizing: 'border-box',
          }}
        >
          <Typography.Text strong>{unitsLabel}</Typography.Text>
        </div>
        {stages.map((s) => (
          <div
            key={s.key}
            title={s.title}
            style={{
              position: 'absolute',
              top: 0,
              left: LABEL_W + s.firstColumn * COL_W,
              width: s.columns * COL_W,
              height: STAGE_H,
              lineHeight: `${STAGE_H}px`,
              padding: '0 6px',
              boxSizing: 'border-box',
              borderRight: '1px solid #e8e8e8',
              borderBottom: '1px solid #e8e8e8',
              overflow: 'hidden',
              whiteSpace: 'nowrap',
              textOverflow: 'ellipsis',
              fontWeight: 600,
            }}
          >
            {s.title}
          </div>
        ))}
        {columns.map((i) => (
          <div
            key={steps[i].key}
            data-step-column={steps[i].key}
            title={steps[i].title}
            style={{
              position: 'absolute',
              top: STAGE_H,
              left: LABEL_W + i * COL_W,
              width: COL_W,
              height: STEP_H,
              writingMode: 'vertical-rl',
              padding: '6px 0',
              boxSizing: 'border-box',
              borderRight: '1px solid #f0f0f0',
              overflow: 'hidden',
              whiteSpace: 'nowrap',
              textOverflow: 'ellipsis',
              fontSize: 12,
              lineHeight: `${COL_W}px`,
            }}
          >
            {steps[i].title}
          </div>
        ))}
      </div>
    );
  },
  (a, b) =>
    a.stages === b.stages &&
    a.steps === b.steps &&
    a.width === b.width &&
    a.unitsLabel === b.unitsLabel &&
    a.columns.join() === b.columns.join(),
);

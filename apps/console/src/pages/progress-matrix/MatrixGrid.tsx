import { useVirtualizer } from '@tanstack/react-virtual';
import { Typography } from 'antd';
import { useCallback, useMemo, useRef } from 'react';
import { useNavigate } from 'react-router-dom';
import { useT } from '../../i18n/I18nProvider';
import { decodeLegend, type Matrix } from './matrix';

const ROW_H = 26;
const COL_W = 34;
const LABEL_W = 260;
const STAGE_H = 26;
const STEP_H = 120;
const HEADER_H = STAGE_H + STEP_H;

export const unitPagePath = (cycleId: string, unitCode: string, stepKey?: string) =>
  `/cycles/${cycleId}/units/${encodeURIComponent(unitCode)}${stepKey ? `?step=${encodeURIComponent(stepKey)}` : ''}`;

/**
 * Units × steps, virtualised both ways (@tanstack/react-virtual): only the rows and columns in view are in the DOM,
 * so 10,000 units × 40 steps costs the same as 100. The unit column and the header stay put while scrolling.
 * Every cell is a link to the unit page on that step (one click handler for all of them).
 */
export function MatrixGrid({ matrix, cycleId, height }: { matrix: Matrix; cycleId: string; height: number | string }) {
  const t = useT();
  const navigate = useNavigate();
  const scrollRef = useRef<HTMLDivElement>(null);
  const { units, steps, stages } = matrix;
  const { display, color } = useMemo(() => decodeLegend(matrix.legend), [matrix.legend]);

  const rows = useVirtualizer({ count: units.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_H, overscan: 12 });
  const cols = useVirtualizer({ horizontal: true, count: steps.length, getScrollElement: () => scrollRef.current, estimateSize: () => COL_W, overscan: 4 });
  const virtualCols = cols.getVirtualItems();

  const onClick = useCallback(
    (e: React.MouseEvent) => {
      const a = (e.target as HTMLElement).closest('a[data-unit]');
      if (!a || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      void navigate(a.getAttribute('href')!);
    },
    [navigate],
  );

  const width = LABEL_W + cols.getTotalSize();
  return (
    <div
      ref={scrollRef}
      data-testid="matrix-scroll"
      onClick={onClick}
      style={{ height: `min(${HEADER_H + units.length * ROW_H + 2}px, ${typeof height === 'number' ? `${height}px` : height})`, overflow: 'auto', position: 'relative', border: '1px solid #f0f0f0', borderRadius: 6, background: '#fff', contain: 'strict' }}
    >
      <div style={{ width, height: HEADER_H + rows.getTotalSize(), position: 'relative' }}>
        {/* Header: stage bands over the step titles; sticky on top, its first cell sticky on the left too. */}
        <div style={{ position: 'sticky', top: 0, zIndex: 3, height: HEADER_H, width, background: '#fafafa', borderBottom: '1px solid #e8e8e8' }}>
          <div style={{ position: 'sticky', left: 0, zIndex: 4, width: LABEL_W, height: HEADER_H, background: '#fafafa', borderRight: '1px solid #e8e8e8', display: 'flex', alignItems: 'flex-end', padding: 8, boxSizing: 'border-box' }}>
            <Typography.Text strong>{t('matrix.unitColumn', { n: units.length })}</Typography.Text>
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
          {virtualCols.map((c) => {
            const step = steps[c.index];
            return (
              <div
                key={step.key}
                title={step.title}
                style={{ position: 'absolute', top: STAGE_H, left: LABEL_W + c.start, width: COL_W, height: STEP_H, writingMode: 'vertical-rl', padding: '6px 0', boxSizing: 'border-box', borderRight: '1px solid #f0f0f0', overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', fontSize: 12, lineHeight: `${COL_W}px` }}
              >
                {step.title}
              </div>
            );
          })}
        </div>
        {rows.getVirtualItems().map((r) => {
          const u = units[r.index];
          return (
            <div key={u.id} data-row={u.code} style={{ position: 'absolute', top: HEADER_H + r.start, left: 0, width, height: ROW_H, borderBottom: '1px solid #f5f5f5' }}>
              <div style={{ position: 'sticky', left: 0, zIndex: 2, width: LABEL_W, height: ROW_H, lineHeight: `${ROW_H}px`, padding: '0 8px', boxSizing: 'border-box', background: '#fff', borderRight: '1px solid #e8e8e8', overflow: 'hidden', whiteSpace: 'nowrap', textOverflow: 'ellipsis', fontSize: 12 }}>
                <a href={unitPagePath(cycleId, u.code)} data-unit={u.code} style={{ color: 'inherit' }}>
                  <span style={{ color: 'rgba(0, 0, 0, 0.65)', marginRight: 6 }}>{u.code}</span>
                  {u.name}
                </a>
              </div>
              {virtualCols.map((c) => {
                const code = u.cells[c.index];
                const d = display.get(code);
                if (!d) return null;
                const step = steps[c.index];
                const label = `${u.name} · ${step.title}：${t(`stepStatus.${d}`)}`;
                return (
                  <a
                    key={c.index}
                    href={unitPagePath(cycleId, u.code, step.key)}
                    data-unit={u.code}
                    data-step={step.key}
                    data-status={d}
                    aria-label={label}
                    title={label}
                    style={{ position: 'absolute', top: 3, left: LABEL_W + c.start + 3, width: COL_W - 6, height: ROW_H - 6, borderRadius: 3, background: color.get(code) }}
                  />
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

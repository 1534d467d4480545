import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { memo, useEffect, useRef } from 'react';
import { useT } from '../../i18n/I18nProvider';
import { STEP_STATUS_COLORS } from '../../shared/status';
import { FILTER_STATUSES, MATRIX_TO_DISPLAY, type Matrix } from './matrix';

// Only the pieces used here (not the whole of echarts): a bar chart on a grid with tooltip and legend, on canvas.
echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Counts = Matrix['totals']['byStage'][string];

/** A horizontal stacked bar per group (stage or unit kind): how many cells are in each status. Drawn again only when the totals change. */
export const TotalsChart = memo(function TotalsChart({
  groups,
  label,
  height = 220,
}: {
  groups: [string, Counts][];
  label: string;
  height?: number;
}) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const c = echarts.init(ref.current!, undefined, { renderer: 'canvas' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(ref.current!);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  // Drawn when the page is idle (within a second): totals that change while the grid scrolls do not lengthen a frame.
  useEffect(() => {
    const names = groups.map(([name]) => name);
    const draw = () =>
      chart.current?.setOption(
        {
          aria: { enabled: true },
          animation: false,
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          legend: { top: 0, type: 'plain', itemGap: 8, itemWidth: 14, textStyle: { fontSize: 11 } },
          grid: { left: 8, right: 16, top: 52, bottom: 4, containLabel: true },
          xAxis: { type: 'value', minInterval: 1 },
          yAxis: { type: 'category', data: names, inverse: true, axisLabel: { width: 90, overflow: 'truncate' } },
          series: FILTER_STATUSES.map((s) => {
            const d = MATRIX_TO_DISPLAY[s]!;
            return {
              type: 'bar',
              stack: 'cells',
              name: t(`stepStatus.${d}`),
              itemStyle: { color: STEP_STATUS_COLORS[d] },
              barMaxWidth: 18,
              data: groups.map(([, c]) => c.byStatus[s] ?? 0),
            };
          }),
        },
        { notMerge: true },
      );
    if (typeof requestIdleCallback !== 'function') return void draw();
    const idle = requestIdleCallback(draw, { timeout: 1000 });
    return () => cancelIdleCallback(idle);
  }, [groups, t]);

  return (
    <div
      ref={ref}
      role="img"
      aria-label={label}
      style={{ width: '100%', height: Math.max(height, 90 + groups.length * 26) }}
    />
  );
});

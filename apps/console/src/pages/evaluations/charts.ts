import type { components } from '../../api/schema';
import type { ChartOption } from './EChart';

type UnitResult = components['schemas']['UnitResultDto'];
type Question = components['schemas']['FormQuestionDto'];
type QuestionResult = components['schemas']['QuestionResultDto'];

export const percent = (v: number) => `${(v * 100).toFixed(1)}%`;
const unitName = (u: UnitResult) => u.unitName;

/** Horizontal bars: response rate per unit (0–100%). */
export function rateOption(units: UnitResult[], name: string): ChartOption {
  return {
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${Number(v).toFixed(1)}%` },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: units.map(unitName), inverse: true },
    series: [
      {
        name,
        type: 'bar',
        data: units.map((u) => Math.round(u.responseRate * 1000) / 10),
        label: { show: true, position: 'right', formatter: '{c}%' },
        itemStyle: { color: '#1677ff' },
      },
    ],
  };
}

/** Answers per option (scale values or choice labels), summed over the units whose figures are published. */
export function distributionOption(q: Question, results: QuestionResult[]): ChartOption {
  const values =
    q.type === 'scale'
      ? Array.from({ length: (q.max ?? 5) - (q.min ?? 1) + 1 }, (_, i) => String((q.min ?? 1) + i))
      : (q.options ?? []).map((o) => o.value);
  const labels = q.type === 'scale' ? values : (q.options ?? []).map((o) => o.label);
  const counts = values.map((v) => results.reduce((n, r) => n + (r.distribution[v] ?? 0), 0));
  const satisfied = (i: number) =>
    q.type === 'scale'
      ? q.satisfiedAtLeast !== undefined && Number(values[i]) >= q.satisfiedAtLeast
      : !!q.options?.[i]?.satisfied;
  return {
    grid: { left: 8, right: 8, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: labels },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        type: 'bar',
        data: counts.map((value, i) => ({ value, itemStyle: { color: satisfied(i) ? '#52c41a' : '#8c8c8c' } })),
        label: { show: true, position: 'top' },
      },
    ],
  };
}

/** Mean of a scale question per unit. */
export function meanOption(q: Question, units: UnitResult[]): ChartOption {
  const means = units.map((u) => u.questions?.find((x) => x.key === q.key)?.mean ?? null);
  return {
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => Number(v).toFixed(2) },
    xAxis: { type: 'value', min: q.min ?? 1, max: q.max ?? 5 },
    yAxis: { type: 'category', data: units.map(unitName), inverse: true },
    series: [
      {
        type: 'bar',
        data: means.map((m) => (m === null ? null : Math.round(m * 100) / 100)),
        label: { show: true, position: 'right' },
        itemStyle: { color: '#13c2c2' },
      },
    ],
  };
}

import { DateTime } from 'luxon';
import type { FieldProblem } from '../errors';
import type { RecurringSpec } from './schema';
import { durationOf, localDateTime, resolveWhen, type TimeContext } from './when';

/** One occurrence of a recurring milestone before it is placed in a stage. */
export interface Occurrence {
  occurrence: number;
  label: string;
  /** When the occurrence opens; undefined = when its stage opens. */
  opens?: DateTime;
  /** True when `opens` was written by the office (so opening before the stage is an error, not a clamp). */
  explicitOpens: boolean;
  due: DateTime;
  /** Path of the field to blame for this occurrence's due date. */
  duePath: string;
}

type Period = { start: DateTime; end: DateTime; label: string };

const PERIOD_KINDS = ['quarter', 'half-year', 'semester'] as const;
type PeriodKind = (typeof PERIOD_KINDS)[number];

export function isPeriodKind(every: string | undefined): every is PeriodKind {
  return (PERIOD_KINDS as readonly string[]).includes(every ?? '');
}

/** The calendar period containing `day`. Semesters: spring Feb–Jul, autumn Aug–Jan (China's school year). */
function periodContaining(kind: PeriodKind, day: DateTime): Period {
  const y = day.year;
  if (kind === 'quarter') {
    const q = Math.floor((day.month - 1) / 3);
    const start = day.set({ month: q * 3 + 1, day: 1 }).startOf('day');
    return { start, end: start.plus({ months: 3 }).minus({ days: 1 }), label: `${y}年第${q + 1}季度` };
  }
  if (kind === 'half-year') {
    const first = day.month <= 6;
    const start = day.set({ month: first ? 1 : 7, day: 1 }).startOf('day');
    return { start, end: start.plus({ months: 6 }).minus({ days: 1 }), label: `${y}年${first ? '上半年' : '下半年'}` };
  }
  const spring = day.month >= 2 && day.month <= 7;
  const startYear = day.month === 1 ? y - 1 : y;
  const start = DateTime.fromObject({ year: startYear, month: spring ? 2 : 8, day: 1 }, { zone: day.zone });
  return {
    start,
    end: start.plus({ months: 6 }).minus({ days: 1 }),
    label: `${startYear}年${spring ? '春季' : '秋季'}学期`,
  };
}

function endOfDay(day: DateTime): DateTime {
  return day.set({ hour: 23, minute: 59, second: 59, millisecond: 0 });
}

/**
 * Expands a recurring milestone to its occurrences (unplaced). Problems (missing fields, mixed modes) are pushed to
 * `problems` with paths under `path`, and no occurrences are returned for that series.
 */
export function expandRecurring(
  spec: RecurringSpec,
  path: string,
  ctx: TimeContext,
  problems: FieldProblem[],
  stageStart?: DateTime,
): Occurrence[] {
  const before = problems.length;
  if (spec.every && spec.dates) problems.push({ field: path, problem: 'has both every and dates; use one of them' });
  if (!spec.every && !spec.dates)
    problems.push({
      field: path,
      problem: 'needs either every (quarter, half-year, semester or an ISO duration) or a list of dates',
    });
  const fromStage = (w: unknown) => typeof w === 'object' && w !== null && (w as { from?: string }).from === 'stage';
  if (!spec.stage) {
    if (fromStage(spec.start))
      problems.push({ field: `${path}.start`, problem: 'from: stage needs the series to name its stage' });
    spec.dates?.forEach((d, i) => {
      if (fromStage(d.due))
        problems.push({ field: `${path}.dates[${i}].due`, problem: 'from: stage needs the series to name its stage' });
      if (fromStage(d.opens))
        problems.push({
          field: `${path}.dates[${i}].opens`,
          problem: 'from: stage needs the series to name its stage',
        });
    });
  }
  if (isPeriodKind(spec.every)) {
    if (!spec.from) problems.push({ field: `${path}.from`, problem: `is required with every: ${spec.every}` });
    if (!spec.to) problems.push({ field: `${path}.to`, problem: `is required with every: ${spec.every}` });
    if (spec.count !== undefined)
      problems.push({ field: `${path}.count`, problem: 'is used only with an ISO-duration every (e.g. PT2M)' });
    if (spec.start !== undefined)
      problems.push({ field: `${path}.start`, problem: 'is used only with an ISO-duration every (e.g. PT2M)' });
    if (spec.from && spec.to && spec.to < spec.from) problems.push({ field: `${path}.to`, problem: 'is before from' });
  } else if (spec.every) {
    if (spec.count === undefined)
      problems.push({ field: `${path}.count`, problem: `is required with every: ${spec.every}` });
    if (durationOf(spec.every).as('milliseconds') <= 0)
      problems.push({ field: `${path}.every`, problem: 'must be longer than zero' });
    for (const f of ['from', 'to', 'dueAfterPeriodEnd'] as const) {
      if (spec[f] !== undefined)
        problems.push({ field: `${path}.${f}`, problem: 'is used only with every: quarter, half-year or semester' });
    }
  }
  if (problems.length > before) return [];

  if (spec.dates) {
    return spec.dates.map((d, i) => ({
      occurrence: i + 1,
      label: d.label ?? `${spec.title} ${i + 1}`,
      opens: d.opens === undefined ? undefined : resolveWhen(d.opens, 'start', ctx, stageStart),
      explicitOpens: d.opens !== undefined,
      due: resolveWhen(d.due, 'end', ctx, stageStart),
      duePath: `${path}.dates[${i}].due`,
    }));
  }
  if (isPeriodKind(spec.every)) {
    const from = localDateTime(spec.from!, 'start', ctx);
    const to = localDateTime(spec.to!, 'start', ctx);
    const grace = spec.dueAfterPeriodEnd ? durationOf(spec.dueAfterPeriodEnd) : undefined;
    const out: Occurrence[] = [];
    for (
      let p = periodContaining(spec.every, from);
      p.start <= to;
      p = periodContaining(spec.every, p.end.plus({ days: 1 }))
    ) {
      const lastDay = p.end < to ? p.end : to;
      const due = endOfDay(lastDay);
      out.push({
        occurrence: out.length + 1,
        label: p.label,
        opens: p.start > from ? p.start : from,
        explicitOpens: false,
        due: grace ? due.plus(grace) : due,
        duePath: `${path}.every`,
      });
    }
    return out;
  }
  const every = durationOf(spec.every!);
  const start = spec.start === undefined ? ctx.cycleStart : resolveWhen(spec.start, 'start', ctx, stageStart);
  return Array.from({ length: spec.count! }, (_, i) => ({
    occurrence: i + 1,
    label: `${spec.title} ${i + 1}/${spec.count}`,
    opens: start.plus(every.mapUnits((x) => x * i)),
    explicitOpens: false,
    due: start.plus(every.mapUnits((x) => x * (i + 1))),
    duePath: `${path}.every`,
  }));
}

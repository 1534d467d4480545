/**
 * 党员集中活动时间不少于48个小时 (seed 004): the rules on a unit's logged activity hours. Pure.
 */
import type { FieldProblem } from '../errors';
import type { CyclePlan } from '../plan/unit-plan';

/** Hours of all entries of one unit on one date (each entry is already at most 24). */
export const MAX_HOURS_PER_DAY = 24;

/** A day has 24 hours: what is wrong with logging `adding` more hours on `date` when `logged` are there already. */
export function dayLimitProblem(date: string, logged: number, adding: number): FieldProblem | undefined {
  if (logged + adding <= MAX_HOURS_PER_DAY) return undefined;
  return {
    field: 'hours',
    problem: `${date} already has ${logged} hours logged; at most ${MAX_HOURS_PER_DAY} hours a day (${adding} more would make ${logged + adding})`,
  };
}

/** The plan's minimum: the highest `minHours` of its attendance_hours deliverables, null when it sets none. */
export function minHoursOf(plan: CyclePlan): number | null {
  const mins = plan.stages
    .flatMap((s) => s.steps)
    .flatMap((s) => s.deliverables)
    .flatMap((d) => (d.kind === 'attendance_hours' && d.minHours !== undefined ? [d.minHours] : []));
  return mins.length ? Math.max(...mins) : null;
}

/** Sum of logged hours, to the hundredth (numeric(6,2) entries). */
export const totalHours = (entries: { hours: number }[]) =>
  Math.round(entries.reduce((sum, e) => sum + e.hours, 0) * 100) / 100;

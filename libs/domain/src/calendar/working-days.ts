import { isWorkday } from 'chinese-days';
import { DateTime } from 'luxon';

/**
 * The mainland China working-day calendar (国务院 holiday arrangements via the `chinese-days` package): public
 * holidays are off, make-up workdays (调休, e.g. Saturday 2026-10-10) are working days, other weekends are off.
 * Offices add their own closures (a list of local dates). Years beyond the package's data fall back to
 * Monday–Friday.
 */
export interface WorkingDayOptions {
  /** Extra local dates (YYYY-MM-DD) the office is closed, e.g. a district-wide closure. */
  closures?: readonly string[];
}

/** Whether the local date (YYYY-MM-DD) is a working day. */
export function isWorkingDay(localDate: string, opts: WorkingDayOptions = {}): boolean {
  if (opts.closures?.includes(localDate)) return false;
  const [y, m, d] = localDate.split('-').map(Number);
  // chinese-days formats dates with the process's local-time getters; a local-noon Date reads back as the same
  // calendar day whatever the process's TZ (a 'YYYY-MM-DD' string would be parsed as UTC and can slip a day).
  return isWorkday(new Date(y, m - 1, d, 12));
}

/** The first working day on or after the local date. */
export function nextWorkingDay(localDate: string, opts: WorkingDayOptions = {}): string {
  let day = DateTime.fromISO(localDate, { zone: 'UTC' });
  for (let i = 0; i < 366; i++) {
    const iso = day.toISODate()!;
    if (isWorkingDay(iso, opts)) return iso;
    day = day.plus({ days: 1 });
  }
  throw new Error(`no working day within a year after ${localDate}`);
}

/**
 * A due instant that falls on a non-working day moves to the same local time on the next working day
 * (2026-10-01 17:00 → 2026-10-08 17:00, after the National Day holiday). Working-day instants are unchanged.
 */
export function rollToWorkingDay(instant: Date | string, timeZone: string, opts: WorkingDayOptions = {}): Date {
  const local = DateTime.fromJSDate(new Date(instant), { zone: timeZone });
  const day = local.toISODate()!;
  const target = nextWorkingDay(day, opts);
  if (target === day) return local.toJSDate();
  const [year, month, date] = target.split('-').map(Number);
  return local.set({ year, month, day: date }).toJSDate();
}

import { DateTime } from 'luxon';
import { isWorkingDay, nextWorkingDay, type WorkingDayOptions } from './working-days';

/** Local clock times (HH:mm) between which no notice is sent; may wrap midnight (21:00 → 08:00). */
export interface QuietHours {
  start: string;
  end: string;
}

export interface SendingCalendar extends WorkingDayOptions {
  /** Hold notices on non-working days until the next working day (default true). */
  workingDaysOnly?: boolean;
}

function minutesOf(clock: string): number {
  const [h, m] = clock.split(':').map(Number);
  return h * 60 + m;
}

function atClock(day: DateTime, clock: string): DateTime {
  const [hour, minute] = clock.split(':').map(Number);
  return day.set({ hour, minute, second: 0, millisecond: 0 });
}

function isQuiet(local: DateTime, q: QuietHours): boolean {
  const now = local.hour * 60 + local.minute;
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  return start < end ? now >= start && now < end : now >= start || now < end;
}

/**
 * The earliest instant at or after `instant` when a notice may go out: outside quiet hours and (unless
 * `workingDaysOnly: false`) on a working day. A notice due at 22:30 waits until 08:00 (the end of quiet hours);
 * one falling on a holiday waits until the next working day's 08:00 (or 00:00 when there are no quiet hours).
 */
export function nextSendableInstant(
  instant: Date | string,
  timeZone: string,
  quietHours?: QuietHours,
  calendar: SendingCalendar = {},
): Date {
  let local: DateTime = DateTime.fromJSDate(new Date(instant), { zone: timeZone });
  const dayStart = quietHours?.end ?? '00:00';
  for (let guard = 0; guard < 400; guard++) {
    if (quietHours && isQuiet(local, quietHours)) {
      // Quiet until `end`: later today if we are in the morning part, else tomorrow.
      const endToday = atClock(local, quietHours.end);
      local = endToday > local ? endToday : atClock(local.plus({ days: 1 }), quietHours.end);
      continue;
    }
    if (calendar.workingDaysOnly !== false && !isWorkingDay(local.toISODate()!, calendar)) {
      const next = nextWorkingDay(local.toISODate()!, calendar);
      local = atClock(DateTime.fromISO(next, { zone: timeZone }), dayStart);
      continue;
    }
    return local.toJSDate();
  }
  throw new Error('no sendable instant found within a year');
}

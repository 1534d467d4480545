import { isWorkday } from 'chinese-days';
import { DateTime } from 'luxon';

export interface QuietHours {
  start: string;
  end: string;
}

/**
 * When a notice may go out. The templates helper's libs/domain/src/calendar provides the full rule
 * (`nextSendableInstant(instant, timeZone, quietHours, calendar)`); this interface keeps notice delivery
 * independent of it, and `defaultSendWindow` below is used until/unless it is wired in.
 */
export interface SendWindow {
  nextSendableInstant(instant: Date, timeZone: string, quietHours: QuietHours): Date;
}

const minutesOf = (clock: string) => Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));

/**
 * Quiet hours in the unit's zone (a window like 22:00–08:00 wraps midnight), and PRC working days (chinese-days:
 * weekends and public holidays are skipped, make-up working Saturdays count): the first instant at or after
 * `instant` outside quiet hours on a working day.
 */
export const defaultSendWindow: SendWindow = {
  nextSendableInstant(instant, timeZone, quietHours) {
    const start = minutesOf(quietHours.start);
    const end = minutesOf(quietHours.end);
    let t = DateTime.fromJSDate(instant, { zone: timeZone });
    for (let guard = 0; guard < 40; guard++) {
      if (!isWorkday(t.toFormat('yyyy-MM-dd'))) {
        t = t.plus({ days: 1 }).startOf('day').plus({ minutes: end <= start ? end : 0 });
        continue;
      }
      const m = t.hour * 60 + t.minute;
      const quiet = start === end ? false : start < end ? m >= start && m < end : m >= start || m < end;
      if (!quiet) return t.toJSDate();
      // Move to the end of the quiet window (today if we are before it ends, else tomorrow).
      const endToday = t.startOf('day').plus({ minutes: end });
      t = m < end ? endToday : endToday.plus({ days: 1 });
    }
    return t.toJSDate();
  },
};

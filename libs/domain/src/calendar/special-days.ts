import { getDayDetail } from 'chinese-days';
import { DateTime } from 'luxon';

/** A day that is not what its weekday suggests: a public holiday (放假) or a make-up workday on a weekend (调休上班). */
export interface SpecialDay {
  date: string;
  kind: 'holiday' | 'makeup_workday';
  /** The holiday's Chinese name (国庆节), from the State Council arrangement. */
  name: string;
}

/**
 * Public holidays and 调休 workdays between two local dates (inclusive), for timelines that mark them. Plain weekends
 * are left out (every calendar shows them). Years beyond the chinese-days data have none.
 */
export function specialDays(from: string, to: string): SpecialDay[] {
  const out: SpecialDay[] = [];
  for (let day = DateTime.fromISO(from, { zone: 'UTC' }); day.toISODate()! <= to; day = day.plus({ days: 1 })) {
    // Local noon, as isWorkingDay does: chinese-days reads the Date with local-time getters.
    const detail = getDayDetail(new Date(day.year, day.month - 1, day.day, 12));
    const [, zh] = detail.name.split(',');
    if (!zh) continue; // an ordinary weekday or weekend ("Saturday")
    const weekend = day.weekday >= 6;
    if (!detail.work) out.push({ date: day.toISODate()!, kind: 'holiday', name: zh });
    else if (weekend) out.push({ date: day.toISODate()!, kind: 'makeup_workday', name: zh });
  }
  return out;
}

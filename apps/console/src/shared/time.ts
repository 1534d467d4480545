import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Templates default to Beijing time; a cycle's own zone (cycle.timeZone) wins wherever the page knows it. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

type Instant = string | number | Date | null | undefined;

/** 2026年3月1日 09:00 — Chinese format, in the campaign's time zone (not the browser's). */
export function formatDateTime(value: Instant, timeZone = DEFAULT_TIME_ZONE): string {
  return value == null ? '—' : dayjs(value).tz(timeZone).format('YYYY年M月D日 HH:mm');
}

/** 2026年3月1日 */
export function formatDate(value: Instant, timeZone = DEFAULT_TIME_ZONE): string {
  return value == null ? '—' : dayjs(value).tz(timeZone).format('YYYY年M月D日');
}

/** 3月1日 周日 — for timelines, where the year is in the header. */
export function formatDayShort(value: Instant, timeZone = DEFAULT_TIME_ZONE): string {
  if (value == null) return '—';
  const d = dayjs(value).tz(timeZone);
  return `${d.format('M月D日')} 周${'日一二三四五六'[d.day()]}`;
}

/** The local calendar date (YYYY-MM-DD) of an instant in the zone — for comparing with holiday lists. */
export function localDate(value: Instant, timeZone = DEFAULT_TIME_ZONE): string {
  return dayjs(value ?? undefined)
    .tz(timeZone)
    .format('YYYY-MM-DD');
}

export { dayjs };

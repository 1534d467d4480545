import type { Dayjs } from 'dayjs';
import { dayjs, DEFAULT_TIME_ZONE } from '../../shared/time';

/** A picked day range as the api's half-open instants: from the first day's 00:00 to the day after the last, in the office's zone. */
export function dayRangeInstants(
  range: [Dayjs | null, Dayjs | null] | null | undefined,
  zone = DEFAULT_TIME_ZONE,
): { from?: string; to?: string } {
  const at = (d: Dayjs | null | undefined, plusDays: number) =>
    d ? dayjs.tz(d.format('YYYY-MM-DD'), zone).add(plusDays, 'day').toISOString() : undefined;
  return { from: at(range?.[0], 0), to: at(range?.[1], 1) };
}

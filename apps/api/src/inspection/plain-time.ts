import { DateTime } from 'luxon';

const UNITS: [ms: number, en: string, zh: string][] = [
  [86_400_000, 'day', '天'],
  [3_600_000, 'h', '小时'],
  [60_000, 'min', '分钟'],
  [1_000, 's', '秒'],
];

/**
 * A duration in plain words, the two largest non-zero parts: 604800000 → "7 days" / "7天", 9000000 → "2 h 30 min" /
 * "2小时30分钟". Below one second: "0 s" / "0秒" (timers of a few ms happen when a condition wakes at once).
 */
export function plainDuration(ms: number): { en: string; zh: string } {
  let rest = Math.max(0, Math.round(ms));
  const parts: { en: string; zh: string }[] = [];
  for (const [size, en, zh] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 && parts.length < 2)
      parts.push({ en: en === 'day' ? `${n} day${n === 1 ? '' : 's'}` : `${n} ${en}`, zh: `${n}${zh}` });
    else if (parts.length) break; // keep "1 day 3 h", not "1 day 0 h 5 min"
  }
  if (!parts.length) return { en: '0 s', zh: '0秒' };
  return { en: parts.map((p) => p.en).join(' '), zh: parts.map((p) => p.zh).join('') };
}

/** "2027-05-01 08:00" in the cycle's time zone (the zone is named once per response, not in every sentence). */
export function localTime(ms: number | Date | string, zone: string, withSeconds = false): string {
  const d =
    typeof ms === 'number'
      ? DateTime.fromMillis(ms)
      : typeof ms === 'string'
        ? DateTime.fromISO(ms)
        : DateTime.fromJSDate(ms);
  return d.setZone(zone).toFormat(withSeconds ? 'yyyy-MM-dd HH:mm:ss' : 'yyyy-MM-dd HH:mm');
}

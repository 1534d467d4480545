/** Durations in milliseconds (epoch arithmetic, Temporal's sleep), the one place tests take them from. */
export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A day in seconds: the progress matrix stores due instants as seconds from the cycle's start. */
export const DAY_S = DAY / SECOND;

/** Asia/Shanghai's offset from UTC (no daylight saving): the campaigns' local time. */
export const SHANGHAI_OFFSET = 8 * HOUR;

/** The Asia/Shanghai wall clock at `ms`, written as an ISO string (its `Z` is not UTC): slice the parts you need. */
export const shanghaiIso = (ms: number) => new Date(ms + SHANGHAI_OFFSET).toISOString();

export const isoOf = (ms: number) => new Date(ms).toISOString();

/** Cuts an ISO instant to the second (the time-skipping server's clock also runs in real time). */
export const toSecond = (isoText: string) => `${isoText.slice(0, 19)}.000Z`;

/** `2027-03-31 23:59 (Asia/Shanghai)`, as the unit workflow renders instants in event summaries. */
export function localText(ms: number): string {
  const t = shanghaiIso(ms);
  return `${t.slice(0, 10)} ${t.slice(11, 16)} (Asia/Shanghai)`;
}

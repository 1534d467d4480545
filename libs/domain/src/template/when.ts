import { DateTime, Duration } from 'luxon';
import type { When } from './schema';

/**
 * Turning a template's time expressions into instants. Absolute dates are written for `referenceYear` and move
 * by whole years with the cycle (`yearShift`), keeping their local wall-clock time in the template's zone.
 */
export interface TimeContext {
  zone: string;
  /** cycle start year − referenceYear (in the template's zone). */
  yearShift: number;
  cycleStart: DateTime;
}

/** `start`: a bare date means 00:00 that day; `end`: a bare date means 23:59:59 that day (a deadline "by the 15th"). */
export type DayEdge = 'start' | 'end';

export function localDateTime(text: string, edge: DayEdge, ctx: Pick<TimeContext, 'zone' | 'yearShift'>): DateTime {
  let dt = DateTime.fromISO(text, { zone: ctx.zone });
  if (!text.includes('T') && edge === 'end') dt = dt.set({ hour: 23, minute: 59, second: 59, millisecond: 0 });
  return ctx.yearShift ? dt.plus({ years: ctx.yearShift }) : dt;
}

export function durationOf(iso: string): Duration {
  return Duration.fromISO(iso);
}

export function durationMs(iso: string): number {
  return Duration.fromISO(iso).as('milliseconds');
}

/** Resolves a `When`; `stageStart` is needed only for `{ from: stage }` (the caller checks it exists). */
export function resolveWhen(when: When, edge: DayEdge, ctx: TimeContext, stageStart?: DateTime): DateTime {
  if (typeof when === 'string') return localDateTime(when, edge, ctx);
  const base = when.from === 'stage' ? stageStart : ctx.cycleStart;
  if (!base) throw new Error('a time measured from the stage start needs a stage');
  return base.plus(durationOf(when.after));
}

export function isAbsolute(when: When | undefined): when is string {
  return typeof when === 'string';
}

/** For messages: the instant in the template's zone, e.g. 2010-07-15T17:00:00. */
export function showLocal(dt: DateTime): string {
  return dt.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

export function toUtcIso(dt: DateTime): string {
  return dt.toUTC().toISO({ suppressMilliseconds: false })!;
}

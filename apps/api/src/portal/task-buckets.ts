import { DateTime } from 'luxon';
import type { StepStatusName } from '../../../../libs/domain/src/campaign';
import { DAY_MS } from '../../../../libs/domain/src/plan/unit-plan';

/** A step is "due soon" from this many days before its due instant (the templates' first reminder is 7 days). */
export const DUE_SOON_DAYS = 7;

export type StepStatus = StepStatusName;

/**
 * Where a step shows on "my tasks": the unit's pen first (overdue, returned, due soon, open), then what waits on the
 * office (submitted), what is coming next (upcoming: not open yet), and finished steps (done, only when asked for).
 */
export type TaskBucket = 'overdue' | 'returned' | 'due_soon' | 'open' | 'submitted' | 'upcoming' | 'done';

export function bucketOf(status: StepStatus, dueAt: Date, now: Date): TaskBucket {
  if (status === 'pending') return 'upcoming';
  if (status === 'submitted') return 'submitted';
  if (status === 'accepted' || status === 'waived' || status === 'cancelled') return 'done';
  if (dueAt.getTime() <= now.getTime()) return 'overdue';
  if (status === 'returned') return 'returned';
  return dueAt.getTime() - now.getTime() <= DUE_SOON_DAYS * DAY_MS ? 'due_soon' : 'open';
}

/**
 * Days in words, as the unit reads them on a calendar in the campaign's zone: due on Friday, today Tuesday →
 * 3 days left ("还有3天"); 0 means due today. Overdue: whole days begun since the due instant, at least 1
 * ("已逾期2天"), the way the notices count them.
 */
export function daysLeft(dueAt: Date, now: Date, timeZone: string): number {
  if (dueAt.getTime() <= now.getTime()) return 0;
  const day = (d: Date) => DateTime.fromJSDate(d, { zone: timeZone }).startOf('day');
  return Math.round(day(dueAt).diff(day(now), 'days').days);
}

export function daysOverdue(dueAt: Date, now: Date): number {
  const late = now.getTime() - dueAt.getTime();
  return late <= 0 ? 0 : Math.max(1, Math.ceil(late / DAY_MS));
}

/** Sort order of the buckets on the page: what needs the unit most comes first. */
export const BUCKET_ORDER: TaskBucket[] = ['overdue', 'returned', 'due_soon', 'open', 'submitted', 'upcoming', 'done'];

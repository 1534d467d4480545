/**
 * The unit workflow's timing, as pure functions of the carried state and an instant (no Temporal calls, no clock):
 * which step opens and when, which notices are due or already missed, what an extension moves, when the next thing
 * happens. The workflow asks them at each wake-up; test/unit/campaign/unit-timing.spec.ts pins them down.
 */
import {
  awaitsUnit,
  isSettled,
  unhandledNotices,
  type AttendanceRule,
  type ScheduledNotice,
  type StepState,
  type UnitCarriedState,
} from './unit-state';

/** A pending step opens once its window opened and the unit is in (or past) its stage. */
export const opensNow = (step: StepState, s: UnitCarriedState, nowMs: number): boolean =>
  step.status === 'pending' && step.stageIndex <= s.stageIndex && step.opensAtMs <= nowMs;

/**
 * The instant a step counts as opened: its window, or later when gating held the unit in an earlier stage (the
 * stage's entry) or a pause held everything (the resume).
 */
export const openingInstant = (step: StepState, s: UnitCarriedState): number =>
  Math.max(step.opensAtMs, s.stageEnteredAtMs[step.stageIndex] ?? 0, s.resumedAtMs ?? 0);

/** Notices of the step's current due date that are due at `nowMs`; none unless the step waits for the unit. */
export const dueNotices = (step: StepState, nowMs: number): ScheduledNotice[] =>
  awaitsUnit(step) ? unhandledNotices(step).filter((n) => n.atMs <= nowMs) : [];

/**
 * Notices whose time passed before `nowMs` and that were never sent: skipped, never sent late. Asked when a step
 * opens late, when a returned step comes back to the unit, when the unit resumes, and after an extension.
 */
export const missedNotices = (step: StepState, nowMs: number): ScheduledNotice[] =>
  unhandledNotices(step).filter((n) => n.atMs < nowMs);

/** What an extension changes on the step: the due date, a new generation, and a fresh notice ladder. */
export const extensionMoves = (
  step: StepState,
  newDueAtMs: number,
): Pick<StepState, 'dueAtMs' | 'generation' | 'handled' | 'escalationRung'> => ({
  dueAtMs: newDueAtMs,
  generation: step.generation + 1,
  handled: [],
  escalationRung: -1,
});

/**
 * When an attendance minimum is checked (undefined: not now): when its stage's window closes or when the unit left
 * the stage, whichever comes first, while the unit runs; the check is stamped with the earlier of now and the close.
 */
export function attendanceCheckAt(rule: AttendanceRule, s: UnitCarriedState, nowMs: number): number | undefined {
  const left = s.stageIndex > rule.stageIndex;
  if (s.state !== 'running' || (nowMs < rule.closesAtMs && !left)) return undefined;
  return Math.min(nowMs, rule.closesAtMs);
}

/**
 * The next instant after `nowMs` at which the workflow has something to do without being told: a step opening, a
 * notice of a step waiting for the unit, an optional step settling at its due date, an attendance check at a stage
 * close. Undefined while paused or finished (only a message wakes it then) or when nothing is scheduled.
 */
export function nextEventAt(
  s: UnitCarriedState,
  pendingAttendance: AttendanceRule[],
  nowMs: number,
): number | undefined {
  if (s.state !== 'running') return undefined;
  const times: number[] = [];
  for (const step of s.steps) {
    if (step.status === 'pending' && step.stageIndex <= s.stageIndex) times.push(step.opensAtMs);
    if (awaitsUnit(step)) times.push(...unhandledNotices(step).map((n) => n.atMs));
    if (!step.required && !isSettled(step, nowMs)) times.push(step.dueAtMs); // optional steps settle at due
  }
  times.push(...pendingAttendance.map((r) => r.closesAtMs));
  const future = times.filter((t) => t > nowMs);
  return future.length ? Math.min(...future) : undefined;
}

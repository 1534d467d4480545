/**
 * What the unit workflow records in the read model (unit_event): one kind per transition, each with its own typed
 * `detail`. Writers (the workflow), the activity that stores them and every reader (sentence builders, the step
 * explainer) share this union, so a reader that misses a kind fails to compile (`assertNever`).
 * Pure types: the workflow bundle imports this file.
 */
import type { EscalationAudience } from '../plan/unit-plan';

/** Every kind, in the order a unit usually meets them; the union below has exactly these. */
export const UNIT_EVENT_KINDS = [
  'started',
  'stage_entered',
  'stage_left',
  'step_opened',
  'reminder_sent',
  'due_notice_sent',
  'escalated',
  'notice_skipped',
  'submitted',
  'returned',
  'accepted',
  'extended',
  'extension_ignored',
  'waived',
  'paused',
  'resumed',
  'cancelled',
  'items_registered',
  'attendance_met',
  'attendance_below_minimum',
  'completed',
] as const;
export type UnitEventKind = (typeof UNIT_EVENT_KINDS)[number];

/** A reminder, the due notice or an escalation rung went out (the notice's own row has the same dedupe key). */
export interface NoticeSentDetail {
  dedupeKey: string;
  audience: EscalationAudience;
  rung: number;
  /** The due date's generation the notice belongs to (0, +1 per extension). */
  generation: number;
  dueAt: string;
  bulletin: boolean;
}

export type NoticeKindName = 'reminder' | 'due' | 'escalation';

/** When an attendance minimum was checked: on leaving the stage early, or at the stage's calendar close. */
export type AttendanceMoment = 'left the stage' | 'stage closed';

export interface AttendanceDetail {
  hours: number;
  minHours: number;
  met: boolean;
  when: AttendanceMoment;
}

/** The `detail` of each kind, as written by the workflow (fields added later are optional: older rows lack them). */
export interface UnitEventDetails {
  started: { templateKey: string; templateVersion: number };
  stage_entered: Record<string, never>;
  stage_left: Record<string, never>;
  step_opened: Record<string, never>;
  reminder_sent: NoticeSentDetail;
  due_notice_sent: NoticeSentDetail;
  escalated: NoticeSentDetail;
  notice_skipped: { why: string; generation: number; notices: { kind: NoticeKindName; rung: number; at: string }[] };
  submitted: { submissionId: string };
  returned: { submissionId: string; comment: string };
  /** `comment` is absent when the step needed no review (the submission itself completed it). */
  accepted: { submissionId: string; comment?: string | null };
  extended: { previousDueAt: string; newDueAt: string; generation: number; reason: string };
  extension_ignored: { newDueAt: string };
  waived: { reason: string };
  paused: { reason: string | null };
  resumed: { reason: string | null };
  cancelled: { reason: string | null; steps: string[] };
  items_registered: { submissionId: string; items: { stepKey: string; dueAt: string; responsible: string }[] };
  attendance_met: AttendanceDetail;
  attendance_below_minimum: AttendanceDetail;
  completed: Record<string, never>;
}

// Compile-time: the detail map has exactly the listed kinds (a kind added to one and not the other fails here).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type _EveryKindHasADetail = Same<UnitEventKind, keyof UnitEventDetails> extends true ? true : never;
const _everyKindHasADetail: _EveryKindHasADetail = true;
void _everyKindHasADetail;

/** One kind with its detail: `switch (e.kind)` narrows `e.detail`. */
export type UnitEventOf<K extends UnitEventKind> = { kind: K; detail: UnitEventDetails[K] };
export type UnitEventBody = { [K in UnitEventKind]: UnitEventOf<K> }[UnitEventKind];

/** An event as the workflow hands it to the read model (unit_event row minus ids). */
export type UnitEventInput = UnitEventBody & {
  /** The unit workflow's per-unit counter; (cycle, unit, seq) is unique, so a retried write inserts nothing. */
  seq: number;
  stageKey: string | null;
  stepKey: string | null;
  /** The instant the transition happened in workflow time (for timed events: the instant it was due). */
  at: string;
  actor: string;
  summary: string;
};

/**
 * The exhaustiveness check of a switch over kinds (or statuses): `value` is `never` once every case is handled, so
 * a missing case is a compile error at the call. A value no case knows at run time (a row written by a newer
 * worker) throws, unless the caller passes what to answer instead.
 */
export function assertNever<T = never>(value: never, ...fallback: [T] | []): T {
  if (fallback.length) return fallback[0];
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/**
 * The campaign workflows' contract, imported by the workflows, activities, the api and the tests: signals, updates
 * and queries defined once (the samples' message-passing pattern), the names of the unit workflow's activities,
 * and — re-exported from libs/domain/src/campaign — state names, event kinds and rectification item keys.
 * Only @temporalio/workflow, pure code and `import type` of activities may be imported here.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { UnitReadModelActivities } from '../../activities/campaign/unit-read-model.activities';
import type { AttendanceCheckActivities } from '../../activities/attendance/attendance-check.activities';
import type { NoticeDeliveryActivities } from '../../activities/notices/notice-delivery.contract';
import type { CycleState, StepStatusName, UnitState } from '../../libs/domain/src/campaign';
import type { CyclePlan } from './types';

export * from './types';
export * from '../../libs/domain/src/campaign';

// ---- unit workflow ------------------------------------------------------------------------------

export interface SubmitRequest {
  stepKey: string;
  submissionId: string;
  /** Who submitted (user id or name); recorded in the history. */
  actor: string;
}

export interface ReviewRequest {
  stepKey: string;
  submissionId: string;
  decision: 'accept' | 'return';
  actor: string;
  comment?: string;
  /**
   * Accepting a rectification plan (plan_with_items): its items, each tracked from then on as a required step
   * `<stepKey>#item-<no>` of the plan step's stage, with the plan step's reminders and escalation ladder computed
   * from the item's own deadline. Only with decision `accept`.
   */
  items?: RectificationItemInput[];
}

export interface RectificationItemInput {
  /** 1-based, unique within the plan: the item's step key is `<plan step key>#item-<no>`. */
  no: number;
  /** Shown as the step title: "整改项目 3: <project>". */
  project: string;
  responsible: string;
  /** The item's time limit as an instant (its deadline date, end of day in the plan's zone). */
  dueAt: string;
}

/** Roll-up of a unit's rectification items (dynamic steps `…#item-<n>`). */
export interface ItemRollup {
  total: number;
  /** Waiting for the unit or for review, deadline not passed. */
  open: number;
  /** Waiting for the unit or for review, deadline passed. */
  overdue: number;
  completed: number;
  waived: number;
}

/** The attendance-hours minimum checked when a stage's window closes. */
export interface AttendanceCheckView {
  stageKey: string;
  hours: number;
  minHours: number;
  met: boolean;
  checkedAt: string;
}

export interface ExtendRequest {
  stepKey: string;
  /** ISO instant; reminders are recomputed from it and the due timer follows. */
  newDueAt: string;
  actor: string;
  reason: string;
}

export interface WaiveRequest {
  stepKey: string;
  actor: string;
  reason: string;
}

export interface ControlRequest {
  actor: string;
  reason?: string;
}

export interface StepView {
  key: string;
  stageKey: string;
  title: string;
  status: StepStatusName;
  required: boolean;
  opensAt: string;
  dueAt: string;
  originalDueAt: string;
  openedAt?: string;
  submittedAt?: string;
  acceptedAt?: string;
  returnedAt?: string;
  waivedAt?: string;
  lastSubmissionId?: string;
  /** Highest escalation rung reached (-1: none). */
  escalationRung: number;
  onBulletin: boolean;
}

export interface UnitWorkflowStatus {
  cycleId: string;
  unitId: string;
  state: UnitState;
  /** The stage the unit is in (gating): null once every stage is left. */
  currentStage: string | null;
  steps: StepView[];
  /** Present once a rectification plan with items was accepted. */
  items?: ItemRollup;
  /** Attendance checks done so far (one per stage whose steps carry an attendance_hours minimum). */
  attendance?: AttendanceCheckView[];
}

/** Rejected at once by its validator if the step is unknown, not open, or already decided. */
export const submitUpdate = defineUpdate<StepView, [SubmitRequest], 'submit'>('submit');
/** Accept or return the step's latest submission. */
export const reviewUpdate = defineUpdate<StepView, [ReviewRequest], 'review'>('review');
/** Move one step's due date; timers follow, reminders are recomputed. */
export const extendUpdate = defineUpdate<StepView, [ExtendRequest], 'extend'>('extend');
/** Excuse a required step: it no longer gates its stage. */
export const waiveUpdate = defineUpdate<StepView, [WaiveRequest], 'waive'>('waive');

/** Signals so that cycle-wide fan-out never waits on each unit. */
export const pauseSignal = defineSignal<[ControlRequest], 'pause'>('pause');
export const resumeSignal = defineSignal<[ControlRequest], 'resume'>('resume');
export const cancelSignal = defineSignal<[ControlRequest], 'cancel'>('cancel');
/** Cycle-wide extension, fanned out by the cycle workflow (a signal: the office does not wait on 5,000 updates). */
export const extendSignal = defineSignal<[ExtendRequest], 'extend-all'>('extend-all');

export const unitStatusQuery = defineQuery<UnitWorkflowStatus>('status');

/** The unit workflow's updates by name (what the history's UpdateAccepted events carry). */
export const unitUpdates = {
  submit: submitUpdate,
  review: reviewUpdate,
  extend: extendUpdate,
  waive: waiveUpdate,
} as const;

/**
 * Names of the activities the unit workflow schedules, checked against the activity interfaces, so a reader of
 * its history (the inspection translator) matches them without string literals of its own.
 */
const activityName =
  <T>() =>
  <K extends keyof T & string>(name: K): K =>
    name;
export const unitActivities = {
  recordUnitTransition: activityName<UnitReadModelActivities>()('recordUnitTransition'),
  recordNotice: activityName<UnitReadModelActivities>()('recordNotice'),
  deliverNotice: activityName<NoticeDeliveryActivities>()('deliverNotice'),
  checkAttendanceHours: activityName<AttendanceCheckActivities>()('checkAttendanceHours'),
} as const;

// ---- cycle workflow -----------------------------------------------------------------------------

export interface CycleProgress {
  cycleId: string;
  unitCount: number;
  /** Units whose workflow has been started (or found already running). */
  started: number;
  state: CycleState;
}

export const cycleProgressQuery = defineQuery<CycleProgress>('progress');
export const cyclePauseSignal = defineSignal<[ControlRequest]>('cycle-pause');
export const cycleResumeSignal = defineSignal<[ControlRequest]>('cycle-resume');
export const cycleCancelSignal = defineSignal<[ControlRequest]>('cycle-cancel');
export const cycleExtendSignal = defineSignal<[ExtendRequest]>('cycle-extend');

export type { CyclePlan };

/**
 * Pure state of one unit's path through a cycle and the arithmetic on it (no Temporal calls): which notices a step
 * has, when the next thing happens, how a step is shown. Deterministic, so the workflow and unit tests share it.
 */
import type {
  EscalationAudience,
  EscalationRung,
  PlannedStage,
  PlannedStep,
} from '../../libs/domain/src/plan/unit-plan';
import {
  isDecidedStatus,
  itemStepKey,
  type NoticeKindName,
  type StepStatusName,
  type UnitState,
} from '../../libs/domain/src/campaign';
import type {
  AttendanceCheckView,
  ItemRollup,
  RectificationItemInput,
  StepView,
  UnitWorkflowInput,
  UnitWorkflowStatus,
} from './messages';

export const DAY = 86_400_000;

export interface StepState {
  key: string;
  stageKey: string;
  stageIndex: number;
  title: string;
  required: boolean;
  reviewRequired: boolean;
  opensAtMs: number;
  dueAtMs: number;
  originalDueAtMs: number;
  reminderOffsetsMs: number[];
  escalation: EscalationRung[];
  status: StepStatusName;
  openedAtMs?: number;
  submittedAtMs?: number;
  returnedAtMs?: number;
  acceptedAtMs?: number;
  waivedAtMs?: number;
  lastSubmissionId?: string;
  /** The due date's generation: 0, then +1 per extension; part of every notice's dedupe key. */
  generation: number;
  /** Notices of the current generation already sent or skipped, as `${kind}:r${rung}`. */
  handled: string[];
  /** Highest escalation rung reached in the current generation (-1: none). */
  escalationRung: number;
  onBulletin: boolean;
  /** Set on a rectification item's step (`<plan step>#item-<no>`), added when the plan was accepted. */
  item?: { no: number; planStepKey: string; responsible: string };
}

export interface UnitCarriedState {
  /** Per-unit event counter: unit_event.seq and the read model's "newer write wins" guard. */
  seq: number;
  state: UnitState;
  /** Index of the stage the unit is in; stages.length once every stage is left. */
  stageIndex: number;
  /** When the unit entered each stage (ms), by stage index. */
  stageEnteredAtMs: number[];
  /** Last resume instant: steps whose window opened during a pause open at resume. */
  resumedAtMs?: number;
  steps: StepState[];
  /** Deliveries still running when the previous run continued as new; restarted (deliverNotice is idempotent). */
  carriedDeliveries: { deliveryId: string; channel: string }[];
  /** Attendance-hours checks done at stage closes (absent in runs started before the check existed). */
  attendanceChecks?: AttendanceCheckView[];
}

export type NoticeKind = NoticeKindName;

export interface ScheduledNotice {
  id: string;
  kind: NoticeKind;
  rung: number;
  atMs: number;
  audience: EscalationAudience;
  bulletin: boolean;
  /** Escalation rung this notice reaches (a rung "at due → the unit" is the due notice itself). */
  reachesRung?: number;
}

export function initialState(input: UnitWorkflowInput): UnitCarriedState {
  const steps: StepState[] = [];
  input.plan.stages.forEach((stage, stageIndex) => {
    for (const step of stage.steps) steps.push(stepState(step, stageIndex));
  });
  return { seq: 0, state: 'running', stageIndex: 0, stageEnteredAtMs: [], steps, carriedDeliveries: [] };
}

function stepState(step: PlannedStep, stageIndex: number): StepState {
  const due = Date.parse(step.dueAt);
  return {
    key: step.key,
    stageKey: step.stageKey,
    stageIndex,
    title: step.title,
    required: step.required,
    reviewRequired: step.reviewRequired,
    opensAtMs: Date.parse(step.opensAt),
    dueAtMs: due,
    originalDueAtMs: due,
    reminderOffsetsMs: [...step.reminderOffsetsMs],
    escalation: step.escalation.map((r) => ({ ...r })),
    status: 'pending',
    generation: 0,
    handled: [],
    escalationRung: -1,
    onBulletin: false,
  };
}

/** A rung at the due instant addressed to the unit is the due notice itself: one message, not two. */
const isDueRung = (r: EscalationRung) => r.afterMs <= 0 && r.to === 'unit';

/** Every notice of the step's current due date (generation), in time order. */
export function noticesOf(step: StepState): ScheduledNotice[] {
  const list: ScheduledNotice[] = step.reminderOffsetsMs.map((offset, rung) => ({
    id: `reminder:r${rung}`,
    kind: 'reminder',
    rung,
    atMs: step.dueAtMs - offset,
    audience: 'unit',
    bulletin: false,
  }));
  // Missing an optional step is no failure: it gets reminders, but no due notice and no escalation.
  if (!step.required) return list.sort((a, b) => a.atMs - b.atMs);
  const dueRung = step.escalation.findIndex(isDueRung);
  list.push({
    id: 'due:r0',
    kind: 'due',
    rung: 0,
    atMs: step.dueAtMs,
    audience: 'unit',
    bulletin: dueRung >= 0 && step.escalation[dueRung].bulletin,
    reachesRung: dueRung >= 0 ? dueRung : undefined,
  });
  step.escalation.forEach((r, rung) => {
    if (isDueRung(r)) return;
    list.push({
      id: `escalation:r${rung}`,
      kind: 'escalation',
      rung,
      atMs: step.dueAtMs + r.afterMs,
      audience: r.to,
      bulletin: r.bulletin,
      reachesRung: rung,
    });
  });
  return list.sort((a, b) => a.atMs - b.atMs);
}

export const unhandledNotices = (step: StepState) => noticesOf(step).filter((n) => !step.handled.includes(n.id));

/** Notices fire only while the step waits for the unit. */
export const awaitsUnit = (step: StepState) => step.status === 'open' || step.status === 'returned';

export const isDecided = (step: StepState) => isDecidedStatus(step.status);

/** A step no longer keeps the workflow alive: decided, or optional, unsubmitted and past due. */
export const isSettled = (step: StepState, nowMs: number) =>
  isDecided(step) || (!step.required && step.status !== 'submitted' && nowMs >= step.dueAtMs);

/**
 * Gating (进度服从质量): a stage is left only when each of its required steps is accepted or waived — unless the
 * template turned gating off for the stage (`gating: false`), which then never holds the unit back.
 */
export const stageSatisfied = (s: UnitCarriedState, stageIndex: number, stages: PlannedStage[]) =>
  stages[stageIndex]?.gating === false ||
  s.steps
    .filter((st) => st.stageIndex === stageIndex && st.required)
    .every((st) => st.status === 'accepted' || st.status === 'waived');

export function noticeDedupeKey(input: UnitWorkflowInput, step: StepState, n: ScheduledNotice): string {
  return `${input.cycleId}:${input.unitId}:${step.key}:${n.kind}:g${step.generation}:r${n.rung}`;
}

/** `2009-06-30 17:00 (Asia/Shanghai)` with the offset the caller computed; UTC ISO when none was given. */
export function formatInstant(ms: number, input: Pick<UnitWorkflowInput, 'utcOffsetMinutes' | 'plan'>): string {
  if (input.utcOffsetMinutes === undefined) return new Date(ms).toISOString();
  const local = new Date(ms + input.utcOffsetMinutes * 60_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 16)} (${input.plan.timeZone})`;
}

/** "7 days left", "1 day left", "5 hours left", "3 days overdue". */
export function formatDistance(fromMs: number, dueMs: number): string {
  const diff = dueMs - fromMs;
  const abs = Math.abs(diff);
  const [n, unit] = abs >= DAY ? [Math.round(abs / DAY), 'day'] : [Math.max(1, Math.round(abs / 3_600_000)), 'hour'];
  return `${n} ${unit}${n === 1 ? '' : 's'} ${diff >= 0 ? 'left' : 'overdue'}`;
}

const iso = (ms?: number) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function stepView(step: StepState): StepView {
  return {
    key: step.key,
    stageKey: step.stageKey,
    title: step.title,
    status: step.status,
    required: step.required,
    opensAt: iso(step.opensAtMs)!,
    dueAt: iso(step.dueAtMs)!,
    originalDueAt: iso(step.originalDueAtMs)!,
    openedAt: iso(step.openedAtMs),
    submittedAt: iso(step.submittedAtMs),
    acceptedAt: iso(step.acceptedAtMs),
    returnedAt: iso(step.returnedAtMs),
    waivedAt: iso(step.waivedAtMs),
    lastSubmissionId: step.lastSubmissionId,
    escalationRung: step.escalationRung,
    onBulletin: step.onBulletin,
  };
}

export function unitStatus(input: UnitWorkflowInput, s: UnitCarriedState, nowMs = Date.now()): UnitWorkflowStatus {
  const hasItems = s.steps.some((st) => st.item);
  return {
    cycleId: input.cycleId,
    unitId: input.unitId,
    state: s.state,
    currentStage: input.plan.stages[s.stageIndex]?.key ?? null,
    steps: s.steps.map(stepView),
    ...(hasItems ? { items: itemRollup(s, nowMs) } : {}),
    ...(s.attendanceChecks ? { attendance: s.attendanceChecks } : {}),
  };
}

// ---- rectification items ----------------------------------------------------------------------------------

/**
 * A rectification item as a dynamic required step of the plan step's stage (the rule: items belong to the stage of
 * the plan that listed them, so the unit does not leave that stage while an item is open — 进度服从质量). It opens
 * at the acceptance instant and inherits the plan step's reminder offsets and escalation ladder, measured from the
 * item's own deadline.
 */
export function itemStep(plan: StepState, item: RectificationItemInput, nowMs: number): StepState {
  const due = Date.parse(item.dueAt);
  return {
    key: itemStepKey(plan.key, item.no),
    stageKey: plan.stageKey,
    stageIndex: plan.stageIndex,
    title: `整改项目 ${item.no}: ${item.project}`,
    required: true,
    reviewRequired: true,
    opensAtMs: nowMs,
    dueAtMs: due,
    originalDueAtMs: due,
    reminderOffsetsMs: [...plan.reminderOffsetsMs],
    escalation: plan.escalation.map((r) => ({ ...r })),
    status: 'pending',
    generation: 0,
    handled: [],
    escalationRung: -1,
    onBulletin: false,
    item: { no: item.no, planStepKey: plan.key, responsible: item.responsible },
  };
}

/** Why a list of items cannot be registered (undefined: it can). */
export function itemsProblem(
  plan: StepState,
  items: RectificationItemInput[],
  existing: StepState[],
): string | undefined {
  if (!Array.isArray(items) || items.length === 0) return 'items must list at least one item';
  const seen = new Set<number>();
  for (const [i, it] of items.entries()) {
    if (!Number.isInteger(it?.no) || it.no < 1) return `items[${i}].no must be a positive integer`;
    if (seen.has(it.no)) return `items[${i}].no ${it.no} appears twice`;
    seen.add(it.no);
    if (Number.isNaN(Date.parse(it.dueAt))) return `items[${i}].dueAt "${it.dueAt}" is not an ISO instant`;
    if (!it.project?.trim()) return `items[${i}].project must not be empty`;
    if (existing.some((st) => st.key === itemStepKey(plan.key, it.no)))
      return `item ${it.no} of step "${plan.key}" is already registered`;
  }
  return undefined;
}

export function itemRollup(s: UnitCarriedState, nowMs: number): ItemRollup {
  const r: ItemRollup = { total: 0, open: 0, overdue: 0, completed: 0, waived: 0 };
  for (const st of s.steps) {
    if (!st.item) continue;
    r.total += 1;
    if (st.status === 'accepted') r.completed += 1;
    else if (st.status === 'waived' || st.status === 'cancelled') r.waived += 1;
    else if (nowMs > st.dueAtMs) r.overdue += 1;
    else r.open += 1;
  }
  return r;
}

// ---- attendance hours ----------------------------------------------------------------------------------------

export interface AttendanceRule {
  stageIndex: number;
  stageKey: string;
  stageTitle: string;
  minHours: number;
  closesAtMs: number;
}

/** Stages whose steps carry an attendance_hours deliverable with a minimum: checked when the stage's window closes. */
export function attendanceRules(input: UnitWorkflowInput): AttendanceRule[] {
  const rules: AttendanceRule[] = [];
  input.plan.stages.forEach((stage, stageIndex) => {
    const mins = stage.steps
      .flatMap((st) => st.deliverables ?? [])
      .filter((d) => d.kind === 'attendance_hours' && d.minHours !== undefined)
      .map((d) => d.minHours!);
    if (mins.length)
      rules.push({
        stageIndex,
        stageKey: stage.key,
        stageTitle: stage.title,
        minHours: Math.max(...mins),
        closesAtMs: Date.parse(stage.closesAt),
      });
  });
  return rules;
}

/** "Attendance 36 of 48 hours at the close of 整改落实: below the minimum" (or "on leaving 整改落实" when earlier). */
export function attendanceSummary(
  rule: Pick<AttendanceRule, 'stageTitle'>,
  hours: number,
  minHours: number,
  onLeaving = false,
): string {
  const met = hours >= minHours;
  return `Attendance ${hours} of ${minHours} hours ${onLeaving ? 'on leaving' : 'at the close of'} ${rule.stageTitle}: ${met ? 'the minimum is met' : 'below the minimum'}`;
}

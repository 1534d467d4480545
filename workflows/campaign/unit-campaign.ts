/**
 * One unit's path through a cycle as state and transitions (the samples' safe-message-handlers shape): every
 * handler and every wake-up of the unit workflow is one method here, which changes the carried state and records
 * what happened as read-model events. No Temporal calls and no clock: the workflow passes the instant in, sends
 * the notices and writes the batches this class hands out.
 */
import type {
  RecordNoticeInput,
  RecordUnitTransitionInput,
} from '../../activities/campaign/unit-read-model.activities';
import type { CheckAttendanceResult } from '../../activities/attendance/attendance-check.activities';
import type { UnitEventBody, UnitEventInput } from '../../libs/domain/src/campaign';
import type {
  ControlRequest,
  ExtendRequest,
  ReviewRequest,
  SubmitRequest,
  UnitWorkflowInput,
  UnitWorkflowStatus,
  WaiveRequest,
} from './messages';
import {
  extensionMoves,
  attendanceCheckAt,
  dueNotices,
  missedNotices,
  nextEventAt,
  openingInstant,
  opensNow,
} from './unit-timing';
import {
  extendRefusal,
  extensionProblem,
  reviewRefusal,
  submitRefusal,
  waiveRefusal,
  type Refusal,
} from './unit-refusals';
import {
  attendanceRules,
  attendanceSummary,
  awaitsUnit,
  formatDistance,
  formatInstant,
  isDecided,
  isSettled,
  itemStep,
  noticeDedupeKey,
  stageSatisfied,
  stepView,
  unitStatus,
  type AttendanceRule,
  type ScheduledNotice,
  type StepState,
  type UnitCarriedState,
} from './unit-state';

/** An event as a transition states it; the class numbers it and stamps its instant. */
type EventDraft = UnitEventBody & {
  stageKey: string | null;
  stepKey: string | null;
  summary: string;
  atMs: number;
  actor?: string;
};

/** A read-model write as the workflow sends it, minus the run id only the workflow knows. */
export type TransitionBatch = Omit<RecordUnitTransitionInput, 'workflowRunId'>;

const iso = (ms: number) => new Date(ms).toISOString();
const reasonOf = (req: ControlRequest) => (req.reason ? `: ${req.reason}` : '');

export class UnitCampaign {
  readonly s: UnitCarriedState;
  /** Stages whose attendance minimum is checked (none in runs recorded before the check existed). */
  private readonly attendance: AttendanceRule[];
  private buffer: UnitEventInput[] = [];
  private readonly touched = new Set<string>();

  constructor(
    private readonly input: UnitWorkflowInput,
    carried: UnitCarriedState,
    attendanceChecksOn: boolean,
  ) {
    this.s = carried;
    this.attendance = attendanceChecksOn ? attendanceRules(input) : [];
    if (attendanceChecksOn) this.s.attendanceChecks ??= [];
  }

  private get stages() {
    return this.input.plan.stages;
  }

  private fmt(ms: number): string {
    return formatInstant(ms, this.input);
  }

  /** Cancelled or completed: nothing happens any more except answering queries. */
  get isOver(): boolean {
    return this.s.state === 'cancelled' || this.s.state === 'completed';
  }

  status(nowMs: number): UnitWorkflowStatus {
    return unitStatus(this.input, this.s, nowMs);
  }

  // ---- the read model's batches -----------------------------------------------------------------------------

  private emit(e: EventDraft, steps: StepState[] = []): void {
    const { atMs, actor, ...rest } = e;
    this.buffer.push({ ...rest, seq: ++this.s.seq, at: iso(atMs), actor: actor ?? 'system' } as UnitEventInput);
    for (const st of steps) this.touched.add(st.key);
  }

  get hasUnwrittenEvents(): boolean {
    return this.buffer.length > 0;
  }

  /** The events since the last batch with the current view of every step they changed; undefined when none. */
  takeBatch(): TransitionBatch | undefined {
    if (!this.buffer.length) return undefined;
    const events = this.buffer;
    const steps = this.s.steps.filter((st) => this.touched.has(st.key)).map(stepView);
    this.buffer = [];
    this.touched.clear();
    const last = events[events.length - 1];
    const started = events.find((e) => e.kind === 'started');
    return {
      cycleId: this.input.cycleId,
      unitId: this.input.unitId,
      seq: last.seq,
      events,
      steps,
      unit: {
        status: this.s.state,
        currentStage: this.stages[this.s.stageIndex]?.key ?? null,
        startedAt: started?.at,
        completedAt: this.isOver ? last.at : undefined,
      },
    };
  }

  // ---- the timed part: gating, openings, notices -----------------------------------------------------------

  start(nowMs: number): void {
    const { plan, unitName, unitCode } = this.input;
    this.emit(
      {
        kind: 'started',
        stageKey: null,
        stepKey: null,
        atMs: nowMs,
        summary: `Started ${plan.campaignName} for ${unitName} (${unitCode}): ${this.s.steps.length} steps in ${this.stages.length} stages`,
        detail: { templateKey: plan.templateKey, templateVersion: plan.templateVersion },
      },
      this.s.steps,
    );
    this.enterStage(0, nowMs);
  }

  private enterStage(index: number, atMs: number): void {
    this.s.stageIndex = index;
    if (index >= this.stages.length) return;
    this.s.stageEnteredAtMs[index] = atMs;
    this.emit({
      kind: 'stage_entered',
      stageKey: this.stages[index].key,
      stepKey: null,
      atMs,
      summary: `Entered stage ${this.stages[index].title}`,
      detail: {},
    });
  }

  /**
   * What is due at `nowMs`: stages left (gating follows acceptances even while paused: stage membership is data),
   * then — unless paused — steps opened and notices fired. Returns the notices to record, in the order they fired.
   */
  advance(nowMs: number): RecordNoticeInput[] {
    const s = this.s;
    while (s.stageIndex < this.stages.length && stageSatisfied(s, s.stageIndex, this.stages)) {
      const stage = this.stages[s.stageIndex];
      const why = stage.gating === false ? 'the stage does not gate' : 'every required step is accepted or waived';
      this.emit({
        kind: 'stage_left',
        stageKey: stage.key,
        stepKey: null,
        atMs: nowMs,
        summary: `Left stage ${stage.title}: ${why}`,
        detail: {},
      });
      this.enterStage(s.stageIndex + 1, nowMs);
    }
    if (s.state === 'paused') return [];
    for (const step of s.steps) {
      if (!opensNow(step, s, nowMs)) continue;
      const openedAt = openingInstant(step, s);
      step.status = 'open';
      step.openedAtMs = openedAt;
      this.emit(
        {
          kind: 'step_opened',
          stageKey: step.stageKey,
          stepKey: step.key,
          atMs: openedAt,
          summary: `Step opened: ${step.title}, due ${this.fmt(step.dueAtMs)}`,
          detail: {},
        },
        [step],
      );
      this.skipMissed(step, openedAt, 'their time had passed when the step opened');
    }
    return s.steps.flatMap((step) => dueNotices(step, nowMs).map((n) => this.fire(step, n)));
  }

  private fire(step: StepState, n: ScheduledNotice): RecordNoticeInput {
    step.handled.push(n.id);
    if (n.reachesRung !== undefined) step.escalationRung = Math.max(step.escalationRung, n.reachesRung);
    if (n.bulletin) step.onBulletin = true;
    const dedupeKey = noticeDedupeKey(this.input, step, n);
    const dueAt = iso(step.dueAtMs);
    const kind = n.kind === 'reminder' ? 'reminder_sent' : n.kind === 'due' ? 'due_notice_sent' : 'escalated';
    const detail = {
      dedupeKey,
      audience: n.audience,
      rung: n.rung,
      generation: step.generation,
      dueAt,
      bulletin: n.bulletin,
    };
    this.emit(
      { kind, stageKey: step.stageKey, stepKey: step.key, atMs: n.atMs, summary: this.noticeSummary(step, n), detail },
      [step],
    );
    const { cycleId, unitId } = this.input;
    return {
      dedupeKey,
      cycleId,
      unitId,
      stepKey: step.key,
      kind: n.kind,
      occurrence: step.generation,
      rung: n.rung,
      audience: n.audience,
      scheduledFor: iso(n.atMs),
      dueAt,
    };
  }

  private noticeSummary(step: StepState, n: ScheduledNotice): string {
    const due = `${step.title} due ${this.fmt(step.dueAtMs)}`;
    if (n.kind === 'reminder') return `Reminder sent: ${due}, ${formatDistance(n.atMs, step.dueAtMs)}`;
    if (n.kind === 'due') return `Due notice sent: ${due} has passed without an accepted submission`;
    const to =
      n.audience === 'parent' ? 'the parent organisation' : n.audience === 'office' ? 'the office' : 'the unit';
    return `Escalated to ${to}: ${due}, ${formatDistance(n.atMs, step.dueAtMs)}${n.bulletin ? '; unit put on the bulletin (通报)' : ''}`;
  }

  /** Notices whose time passed while the step did not wait for the unit (pending, submitted, paused) never go out late. */
  private skipMissed(step: StepState, nowMs: number, why: string): void {
    const missed = missedNotices(step, nowMs);
    if (!missed.length) return;
    step.handled.push(...missed.map((n) => n.id));
    this.emit({
      kind: 'notice_skipped',
      stageKey: step.stageKey,
      stepKey: step.key,
      atMs: nowMs,
      summary: `Skipped ${missed.length} notice${missed.length === 1 ? '' : 's'} for ${step.title} (${why}): ${missed.map((n) => `${n.kind} of ${this.fmt(n.atMs)}`).join(', ')}`,
      detail: {
        why,
        generation: step.generation,
        notices: missed.map((n) => ({ kind: n.kind, rung: n.rung, at: iso(n.atMs) })),
      },
    });
  }

  // ---- attendance minimums ---------------------------------------------------------------------------------

  get hasAttendanceRules(): boolean {
    return this.attendance.length > 0;
  }

  pendingAttendance(): AttendanceRule[] {
    return this.attendance.filter((r) => !this.s.attendanceChecks!.some((c) => c.stageKey === r.stageKey));
  }

  /** When to check `rule` if it is due at `nowMs` (see attendanceCheckAt). */
  attendanceCheckAt(rule: AttendanceRule, nowMs: number): number | undefined {
    return attendanceCheckAt(rule, this.s, nowMs);
  }

  recordAttendance(rule: AttendanceRule, r: CheckAttendanceResult, atMs: number): void {
    this.s.attendanceChecks!.push({
      stageKey: rule.stageKey,
      hours: r.hours,
      minHours: r.minHours,
      met: r.met,
      checkedAt: r.checkedAt,
    });
    const early = atMs < rule.closesAtMs;
    this.emit({
      kind: r.met ? 'attendance_met' : 'attendance_below_minimum',
      stageKey: rule.stageKey,
      stepKey: null,
      atMs,
      summary: attendanceSummary(rule, r.hours, r.minHours, early),
      detail: { hours: r.hours, minHours: r.minHours, met: r.met, when: early ? 'left the stage' : 'stage closed' },
    });
  }

  // ---- when the workflow is done, and when it wakes up next ------------------------------------------------

  /** Every stage left, every step decided or settled, every attendance minimum checked. */
  isComplete(nowMs: number): boolean {
    return (
      this.s.state === 'running' &&
      this.s.stageIndex >= this.stages.length &&
      this.s.steps.every((st) => isSettled(st, nowMs)) &&
      this.pendingAttendance().length === 0
    );
  }

  nextEventAt(nowMs: number): number | undefined {
    return nextEventAt(this.s, this.pendingAttendance(), nowMs);
  }

  complete(nowMs: number): void {
    if (this.s.state === 'cancelled') return;
    this.s.state = 'completed';
    this.emit({
      kind: 'completed',
      stageKey: null,
      stepKey: null,
      atMs: nowMs,
      summary: `Completed ${this.input.plan.campaignName}: every step is accepted, waived or settled`,
      detail: {},
    });
  }

  // ---- updates: validated first (refusals), then applied -----------------------------------------------------

  submitRefusal(req: SubmitRequest): Refusal | undefined {
    return submitRefusal(this.s, req, (ms) => this.fmt(ms));
  }

  reviewRefusal(req: ReviewRequest): Refusal | undefined {
    return reviewRefusal(this.s, req);
  }

  extendRefusal(req: ExtendRequest, nowMs: number): Refusal | undefined {
    return extendRefusal(this.s, req, nowMs);
  }

  waiveRefusal(req: WaiveRequest): Refusal | undefined {
    return waiveRefusal(this.s, req);
  }

  /** The step of an admitted update (its validator checked that it exists). */
  private step(stepKey: string): StepState {
    return this.s.steps.find((st) => st.key === stepKey)!;
  }

  submit(req: SubmitRequest, nowMs: number): StepState {
    const step = this.step(req.stepKey);
    step.submittedAtMs = nowMs;
    step.lastSubmissionId = req.submissionId;
    const late = nowMs > step.dueAtMs ? ` (${formatDistance(nowMs, step.dueAtMs)})` : '';
    const at = { stageKey: step.stageKey, stepKey: step.key, atMs: nowMs, actor: req.actor };
    if (step.reviewRequired) {
      step.status = 'submitted';
      this.emit(
        {
          kind: 'submitted',
          ...at,
          summary: `Submission ${req.submissionId} received for ${step.title}${late}; awaiting review`,
          detail: { submissionId: req.submissionId },
        },
        [step],
      );
    } else {
      step.status = 'accepted';
      step.acceptedAtMs = nowMs;
      this.emit(
        {
          kind: 'accepted',
          ...at,
          summary: `Submission ${req.submissionId} completes ${step.title}${late} (no review required)`,
          detail: { submissionId: req.submissionId },
        },
        [step],
      );
    }
    return step;
  }

  review(req: ReviewRequest, nowMs: number): StepState {
    const step = this.step(req.stepKey);
    const at = { stageKey: step.stageKey, stepKey: step.key, atMs: nowMs, actor: req.actor };
    if (req.decision === 'accept') {
      step.status = 'accepted';
      step.acceptedAtMs = nowMs;
      this.emit(
        {
          kind: 'accepted',
          ...at,
          summary: `Submission ${req.submissionId} for ${step.title} accepted${req.comment ? `: ${req.comment}` : ''}`,
          detail: { submissionId: req.submissionId, comment: req.comment ?? null },
        },
        [step],
      );
      if (req.items?.length) this.registerItems(step, req, nowMs);
    } else {
      step.status = 'returned';
      step.returnedAtMs = nowMs;
      this.emit(
        {
          kind: 'returned',
          ...at,
          summary: `Submission ${req.submissionId} for ${step.title} returned for rework: ${req.comment}`,
          detail: { submissionId: req.submissionId, comment: req.comment! },
        },
        [step],
      );
      this.skipMissed(step, nowMs, 'their time passed while the submission was under review');
    }
    return step;
  }

  /** The accepted plan's items become required steps of the plan's stage; they open in this same activation. */
  private registerItems(plan: StepState, req: ReviewRequest, nowMs: number): void {
    const items = req.items!.map((it) => itemStep(plan, it, nowMs));
    this.s.steps.push(...items);
    this.emit(
      {
        kind: 'items_registered',
        stageKey: plan.stageKey,
        stepKey: plan.key,
        atMs: nowMs,
        actor: req.actor,
        summary: `${items.length} rectification item${items.length === 1 ? '' : 's'} of ${plan.title} tracked until completed: ${items.map((st) => `${st.item!.no}. due ${this.fmt(st.dueAtMs)} (${st.item!.responsible})`).join('; ')}`,
        detail: {
          submissionId: req.submissionId,
          items: items.map((st) => ({ stepKey: st.key, dueAt: iso(st.dueAtMs), responsible: st.item!.responsible })),
        },
      },
      items,
    );
  }

  /** A new due date: a new generation with its own notices; those already past are skipped if the step waits for the unit. */
  extend(req: ExtendRequest, nowMs: number): StepState {
    const step = this.step(req.stepKey);
    const previous = step.dueAtMs;
    Object.assign(step, extensionMoves(step, Date.parse(req.newDueAt)));
    this.emit(
      {
        kind: 'extended',
        stageKey: step.stageKey,
        stepKey: step.key,
        atMs: nowMs,
        actor: req.actor,
        summary: `Due date of ${step.title} extended from ${this.fmt(previous)} to ${this.fmt(step.dueAtMs)}: ${req.reason}`,
        detail: {
          previousDueAt: iso(previous),
          newDueAt: iso(step.dueAtMs),
          generation: step.generation,
          reason: req.reason,
        },
      },
      [step],
    );
    if (awaitsUnit(step)) this.skipMissed(step, nowMs, 'their time had passed when the due date was extended');
    return step;
  }

  waive(req: WaiveRequest, nowMs: number): StepState {
    const step = this.step(req.stepKey);
    step.status = 'waived';
    step.waivedAtMs = nowMs;
    this.emit(
      {
        kind: 'waived',
        stageKey: step.stageKey,
        stepKey: step.key,
        atMs: nowMs,
        actor: req.actor,
        summary: `${step.title} waived: ${req.reason}`,
        detail: { reason: req.reason },
      },
      [step],
    );
    return step;
  }

  // ---- signals: never refused; false when the unit's state makes them a no-op -------------------------------

  pause(req: ControlRequest, nowMs: number): boolean {
    if (this.s.state !== 'running') return false;
    this.s.state = 'paused';
    this.emit({
      kind: 'paused',
      stageKey: null,
      stepKey: null,
      atMs: nowMs,
      actor: req.actor,
      summary: `Paused${reasonOf(req)}; no step opens and no notice goes out until resumed`,
      detail: { reason: req.reason ?? null },
    });
    return true;
  }

  resume(req: ControlRequest, nowMs: number): boolean {
    if (this.s.state !== 'paused') return false;
    this.s.state = 'running';
    this.s.resumedAtMs = nowMs;
    this.emit({
      kind: 'resumed',
      stageKey: null,
      stepKey: null,
      atMs: nowMs,
      actor: req.actor,
      summary: `Resumed${reasonOf(req)}`,
      detail: { reason: req.reason ?? null },
    });
    for (const step of this.s.steps)
      if (awaitsUnit(step)) this.skipMissed(step, nowMs, 'their time passed while the unit was paused');
    return true;
  }

  cancel(req: ControlRequest, nowMs: number): boolean {
    if (this.isOver) return false;
    this.s.state = 'cancelled';
    const cancelled = this.s.steps.filter((st) => !isDecided(st));
    for (const st of cancelled) st.status = 'cancelled';
    this.emit(
      {
        kind: 'cancelled',
        stageKey: null,
        stepKey: null,
        atMs: nowMs,
        actor: req.actor,
        summary: `Cancelled${reasonOf(req)}; ${cancelled.length} unfinished step(s) cancelled`,
        detail: { reason: req.reason ?? null, steps: cancelled.map((st) => st.key) },
      },
      cancelled,
    );
    return true;
  }

  /** A cycle-wide extension: applied, or recorded as not applied to this unit (and why). */
  extendAll(req: ExtendRequest, nowMs: number): boolean {
    if (this.isOver) return false;
    const problem = extensionProblem(this.s, req, nowMs);
    if (!problem) this.extend(req, nowMs);
    else
      this.emit({
        kind: 'extension_ignored',
        stageKey: null,
        stepKey: req.stepKey,
        atMs: nowMs,
        actor: req.actor,
        summary: `Cycle-wide extension not applied: ${problem[1]}`,
        detail: { newDueAt: req.newDueAt },
      });
    return true;
  }
}

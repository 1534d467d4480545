/**
 * One unit's path through one campaign cycle: a long-lived workflow that opens steps, gates stages, sends deadline
 * notices and records every transition in the read model. Time is one loop: `condition(changed, untilNextEvent)`.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { NoticeDeliveryActivities, PlannedDelivery } from '../../activities/notices/notice-delivery.contract';
import { noticeTaskQueue } from '../../libs/domain/src/notices/channels';
import { STEP_REQUEST_REJECTED, StepRejection } from '../../libs/domain/src/errors';
import { deliverNoticeActivityOptions } from '../notices/notice-delivery.options';
import type { UnitReadModelActivities, UnitEventInput } from '../../activities/campaign/unit-read-model.activities';
import type { AttendanceCheckActivities } from '../../activities/attendance/attendance-check.activities';
import {
  cancelSignal,
  extendSignal,
  extendUpdate,
  pauseSignal,
  resumeSignal,
  reviewUpdate,
  submitUpdate,
  unitStatusQuery,
  waiveUpdate,
  type ExtendRequest,
  type ReviewRequest,
  type SubmitRequest,
  type WaiveRequest,
} from './messages';
import type { UnitWorkflowInput } from './types';
import {
  attendanceRules,
  attendanceSummary,
  awaitsUnit,
  formatDistance,
  formatInstant,
  initialState,
  isDecided,
  isSettled,
  itemStep,
  itemsProblem,
  noticeDedupeKey,
  stageSatisfied,
  stepView,
  unhandledNotices,
  unitStatus,
  type ScheduledNotice,
  type StepState,
  type UnitCarriedState,
} from './unit-state';

const { recordUnitTransition } = proxyActivities<UnitReadModelActivities>({
  startToCloseTimeout: '30 seconds',
  // The read model must catch up eventually; a database outage only delays it.
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
const { recordNotice } = proxyActivities<UnitReadModelActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

const { checkAttendanceHours } = proxyActivities<AttendanceCheckActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const DEFAULT_CONTINUE_AS_NEW_AFTER = 2_000;
/** How long continue-as-new waits for running deliveries before handing them to the next run. */
const DELIVERY_DRAIN_MS = 10 * 60_000;

export async function unitCampaignWorkflow(input: UnitWorkflowInput, carried?: UnitCarriedState): Promise<UnitCarriedState> {
  const s: UnitCarriedState = carried ?? initialState(input);
  const stages = input.plan.stages;
  const fmt = (ms: number) => formatInstant(ms, input);
  let changed = false;
  /**
   * Attendance checks at stage close (and completion waiting for them) are new behaviour: runs recorded before it
   * replay without the timer and the activity. Decided once, at the run's first activation.
   */
  const attendanceChecksOn = patched('attendance-check-at-stage-close');
  const attendance = attendanceChecksOn ? attendanceRules(input) : [];
  if (attendanceChecksOn) s.attendanceChecks ??= [];
  const pendingAttendance = () => attendance.filter((r) => !s.attendanceChecks!.some((c) => c.stageKey === r.stageKey));

  // ---- writes to the read model: buffered, then one activity per batch, applied in order --------------------
  let buffer: UnitEventInput[] = [];
  const touched = new Set<string>();
  let writes: Promise<void> = Promise.resolve();

  const emit = (e: Omit<UnitEventInput, 'seq' | 'at' | 'actor'> & { atMs: number; actor?: string }, steps: StepState[] = []) => {
    const { atMs, actor, ...rest } = e;
    buffer.push({ ...rest, seq: ++s.seq, at: new Date(atMs).toISOString(), actor: actor ?? 'system' });
    for (const st of steps) touched.add(st.key);
  };
  const flush = (): Promise<void> => {
    if (!buffer.length) return writes;
    const events = buffer;
    const steps = s.steps.filter((st) => touched.has(st.key)).map(stepView);
    buffer = [];
    touched.clear();
    const status = s.state;
    const finished = s.state === 'completed' || s.state === 'cancelled';
    const started = events.find((e) => e.kind === 'started');
    const payload = {
      cycleId: input.cycleId,
      unitId: input.unitId,
      workflowRunId: workflowInfo().runId,
      seq: events[events.length - 1].seq,
      events,
      steps,
      unit: {
        status,
        currentStage: stages[s.stageIndex]?.key ?? null,
        startedAt: started?.at,
        completedAt: finished ? events[events.length - 1].at : undefined,
      },
    };
    writes = writes.then(() => recordUnitTransition(payload)).catch((err) => log.error('read model write failed', { err }));
    return writes;
  };

  // ---- notices: recorded, then delivered per channel without ever blocking the loop ------------------------
  const inFlight = new Set<Promise<void>>();
  const track = (p: Promise<void>) => {
    const tracked = p.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  const pendingDeliveries = new Map<string, PlannedDelivery>();
  const deliver = (d: PlannedDelivery) => {
    // The delivery helper's policy: unlimited retries with backoff; the activity itself declares a delivery dead.
    const { deliverNotice } = proxyActivities<NoticeDeliveryActivities>(deliverNoticeActivityOptions(noticeTaskQueue(workflowInfo().taskQueue, d.channel)));
    pendingDeliveries.set(d.deliveryId, d);
    track(
      deliverNotice(d)
        .then(() => undefined)
        .catch((err) => log.warn('notice delivery failed', { deliveryId: d.deliveryId, err }))
        .finally(() => pendingDeliveries.delete(d.deliveryId)),
    );
  };
  for (const d of s.carriedDeliveries) deliver(d as PlannedDelivery);
  s.carriedDeliveries = [];

  const sendNotice = (step: StepState, n: ScheduledNotice, dedupeKey: string) =>
    track(
      recordNotice({
        dedupeKey,
        cycleId: input.cycleId,
        unitId: input.unitId,
        stepKey: step.key,
        kind: n.kind,
        occurrence: step.generation,
        rung: n.rung,
        audience: n.audience,
        scheduledFor: new Date(n.atMs).toISOString(),
        dueAt: new Date(step.dueAtMs).toISOString(),
      })
        .then((r) => r.deliveries.forEach(deliver))
        .catch((err) => log.warn('recording a notice failed', { dedupeKey, err })),
    );

  const noticeSummary = (step: StepState, n: ScheduledNotice) => {
    const due = `${step.title} due ${fmt(step.dueAtMs)}`;
    if (n.kind === 'reminder') return `Reminder sent: ${due}, ${formatDistance(n.atMs, step.dueAtMs)}`;
    if (n.kind === 'due') return `Due notice sent: ${due} has passed without an accepted submission`;
    const to = n.audience === 'parent' ? 'the parent organisation' : n.audience === 'office' ? 'the office' : 'the unit';
    return `Escalated to ${to}: ${due}, ${formatDistance(n.atMs, step.dueAtMs)}${n.bulletin ? '; unit put on the bulletin (通报)' : ''}`;
  };

  const fire = (step: StepState, n: ScheduledNotice) => {
    step.handled.push(n.id);
    if (n.reachesRung !== undefined) step.escalationRung = Math.max(step.escalationRung, n.reachesRung);
    if (n.bulletin) step.onBulletin = true;
    const dedupeKey = noticeDedupeKey(input, step, n);
    const kind = n.kind === 'reminder' ? 'reminder_sent' : n.kind === 'due' ? 'due_notice_sent' : 'escalated';
    emit(
      {
        kind,
        stageKey: step.stageKey,
        stepKey: step.key,
        atMs: n.atMs,
        summary: noticeSummary(step, n),
        detail: { dedupeKey, audience: n.audience, rung: n.rung, generation: step.generation, dueAt: new Date(step.dueAtMs).toISOString(), bulletin: n.bulletin },
      },
      [step],
    );
    sendNotice(step, n, dedupeKey);
  };

  /** Notices whose time passed while the step did not wait for the unit (pending, submitted, paused) never go out late. */
  const skipPast = (step: StepState, nowMs: number, why: string) => {
    const missed = unhandledNotices(step).filter((n) => n.atMs < nowMs);
    if (!missed.length) return;
    step.handled.push(...missed.map((n) => n.id));
    emit({
      kind: 'notice_skipped',
      stageKey: step.stageKey,
      stepKey: step.key,
      atMs: nowMs,
      summary: `Skipped ${missed.length} notice${missed.length === 1 ? '' : 's'} for ${step.title} (${why}): ${missed.map((n) => `${n.kind} of ${fmt(n.atMs)}`).join(', ')}`,
      detail: { why, generation: step.generation, notices: missed.map((n) => ({ kind: n.kind, rung: n.rung, at: new Date(n.atMs).toISOString() })) },
    });
  };

  const allSettled = () => s.steps.every((st) => isSettled(st, Date.now()));

  // ---- the timed part: gating, openings, notices -----------------------------------------------------------
  const enterStage = (index: number, atMs: number) => {
    s.stageIndex = index;
    if (index >= stages.length) return;
    s.stageEnteredAtMs[index] = atMs;
    emit({ kind: 'stage_entered', stageKey: stages[index].key, stepKey: null, atMs, summary: `Entered stage ${stages[index].title}`, detail: {} });
  };

  /** Gating follows acceptances even while paused (stage membership is data); openings and notices wait for resume. */
  const processDue = () => {
    if (s.state === 'cancelled' || s.state === 'completed') return;
    const now = Date.now();
    while (s.stageIndex < stages.length && stageSatisfied(s, s.stageIndex, stages)) {
      const stage = stages[s.stageIndex];
      const why = stage.gating === false ? 'the stage does not gate' : 'every required step is accepted or waived';
      emit({ kind: 'stage_left', stageKey: stage.key, stepKey: null, atMs: now, summary: `Left stage ${stage.title}: ${why}`, detail: {} });
      enterStage(s.stageIndex + 1, now);
    }
    if (s.state === 'paused') return void flush();
    for (const step of s.steps) {
      if (step.status !== 'pending' || step.stageIndex > s.stageIndex || step.opensAtMs > now) continue;
      const openedAt = Math.max(step.opensAtMs, s.stageEnteredAtMs[step.stageIndex] ?? 0, s.resumedAtMs ?? 0);
      step.status = 'open';
      step.openedAtMs = openedAt;
      emit({ kind: 'step_opened', stageKey: step.stageKey, stepKey: step.key, atMs: openedAt, summary: `Step opened: ${step.title}, due ${fmt(step.dueAtMs)}`, detail: {} }, [step]);
      skipPast(step, openedAt, 'their time had passed when the step opened');
    }
    for (const step of s.steps) {
      if (!awaitsUnit(step)) continue;
      for (const n of unhandledNotices(step)) if (n.atMs <= now) fire(step, n);
    }
    flush();
  };

  const nextEventAt = (): number | undefined => {
    if (s.state !== 'running') return undefined;
    const now = Date.now();
    const times: number[] = [];
    for (const step of s.steps) {
      if (step.status === 'pending' && step.stageIndex <= s.stageIndex) times.push(step.opensAtMs);
      if (awaitsUnit(step)) times.push(...unhandledNotices(step).map((n) => n.atMs));
      if (!step.required && !isSettled(step, now)) times.push(step.dueAtMs); // optional steps settle at due
    }
    times.push(...pendingAttendance().map((r) => r.closesAtMs));
    const future = times.filter((t) => t > now);
    return future.length ? Math.min(...future) : undefined;
  };

  // ---- messages -------------------------------------------------------------------------------------------
  /**
   * Validators refuse with the reason as data (details[0]), so the api maps it without parsing the message. Only
   * validators throw here, and a refused update leaves no trace in the history: replay is unaffected.
   */
  type Refusal = [StepRejection, string];
  const reject = (reason: StepRejection, message: string): never => {
    throw ApplicationFailure.create({ type: STEP_REQUEST_REJECTED, message, nonRetryable: true, details: [reason] });
  };
  const refuse = (refusal: Refusal | undefined) => refusal && reject(...refusal);
  const findStep = (stepKey: string): StepState => s.steps.find((st) => st.key === stepKey) ?? reject(StepRejection.UnknownStep, `unknown step "${stepKey}"`);
  const assertLive = () => {
    if (s.state === 'cancelled') reject(StepRejection.UnitNotLive, 'the cycle is cancelled for this unit');
    if (s.state === 'completed') reject(StepRejection.UnitNotLive, 'the unit has completed this cycle');
  };
  const notOpenReason = (step: StepState): Refusal | undefined => {
    if (step.status === 'pending') return [StepRejection.StepNotOpen, `step "${step.key}" is not open yet (pending; its window opens ${fmt(step.opensAtMs)} once the unit is in stage ${step.stageKey})`];
    if (step.status === 'submitted') return [StepRejection.AlreadySubmitted, `step "${step.key}" is already submitted and awaiting review (submission ${step.lastSubmissionId})`];
    if (isDecided(step)) return [StepRejection.AlreadyDecided, `step "${step.key}" is already ${step.status}`];
    return undefined;
  };
  const extensionRefusal = (req: ExtendRequest): Refusal | undefined => {
    const step = s.steps.find((st) => st.key === req.stepKey);
    if (!step) return [StepRejection.UnknownStep, `unknown step "${req.stepKey}"`];
    if (isDecided(step)) return [StepRejection.AlreadyDecided, `step "${step.key}" is already ${step.status}`];
    const due = Date.parse(req.newDueAt);
    if (Number.isNaN(due)) return [StepRejection.InvalidRequest, `newDueAt "${req.newDueAt}" is not an ISO instant`];
    if (due <= Date.now()) return [StepRejection.InvalidRequest, `newDueAt ${req.newDueAt} is not in the future`];
    return undefined;
  };
  const extensionProblem = (req: ExtendRequest): string | undefined => extensionRefusal(req)?.[1];
  const applyExtension = (req: ExtendRequest) => {
    const step = findStep(req.stepKey);
    const now = Date.now();
    const previous = step.dueAtMs;
    step.dueAtMs = Date.parse(req.newDueAt);
    step.generation += 1;
    step.handled = [];
    step.escalationRung = -1;
    emit(
      {
        kind: 'extended',
        stageKey: step.stageKey,
        stepKey: step.key,
        atMs: now,
        actor: req.actor,
        summary: `Due date of ${step.title} extended from ${fmt(previous)} to ${fmt(step.dueAtMs)}: ${req.reason}`,
        detail: { previousDueAt: new Date(previous).toISOString(), newDueAt: new Date(step.dueAtMs).toISOString(), generation: step.generation, reason: req.reason },
      },
      [step],
    );
    if (awaitsUnit(step)) skipPast(step, now, 'their time had passed when the due date was extended');
  };
  /** The accepted plan's items become required steps of the plan's stage; they open in this same activation. */
  const registerItems = (plan: StepState, req: ReviewRequest, now: number) => {
    const items = req.items!.map((it) => itemStep(plan, it, now));
    s.steps.push(...items);
    emit(
      {
        kind: 'items_registered',
        stageKey: plan.stageKey,
        stepKey: plan.key,
        atMs: now,
        actor: req.actor,
        summary: `${items.length} rectification item${items.length === 1 ? '' : 's'} of ${plan.title} tracked until completed: ${items.map((st) => `${st.item!.no}. due ${fmt(st.dueAtMs)} (${st.item!.responsible})`).join('; ')}`,
        detail: { submissionId: req.submissionId, items: items.map((st) => ({ stepKey: st.key, dueAt: new Date(st.dueAtMs).toISOString(), responsible: st.item!.responsible })) },
      },
      items,
    );
  };

  /**
   * The attendance minimum of a stage is checked once, when its window closes or when the unit leaves the stage,
   * whichever comes first: by leaving, the unit has delivered the stage's work (its attendance deliverable included),
   * and the check must not keep a finished unit's workflow alive until the calendar close. The sum comes from PostgreSQL.
   */
  const runDueAttendanceChecks = async () => {
    for (const rule of pendingAttendance()) {
      const left = s.stageIndex > rule.stageIndex;
      if (s.state !== 'running' || (Date.now() < rule.closesAtMs && !left)) continue;
      const atMs = Math.min(Date.now(), rule.closesAtMs);
      const r = await checkAttendanceHours({ cycleId: input.cycleId, unitId: input.unitId, stageKey: rule.stageKey, minHours: rule.minHours, checkedAt: new Date(atMs).toISOString() });
      s.attendanceChecks!.push({ stageKey: rule.stageKey, hours: r.hours, minHours: r.minHours, met: r.met, checkedAt: r.checkedAt });
      emit({
        kind: r.met ? 'attendance_met' : 'attendance_below_minimum',
        stageKey: rule.stageKey,
        stepKey: null,
        atMs,
        summary: attendanceSummary(rule, r.hours, r.minHours, atMs < rule.closesAtMs),
        detail: { hours: r.hours, minHours: r.minHours, met: r.met, when: atMs < rule.closesAtMs ? 'left the stage' : 'stage closed' },
      });
      await flush();
    }
  };

  const done = async (step: StepState) => {
    changed = true;
    await flush();
    return stepView(step);
  };

  setHandler(unitStatusQuery, () => unitStatus(input, s));

  setHandler(
    submitUpdate,
    async (req: SubmitRequest) => {
      const step = findStep(req.stepKey);
      const now = Date.now();
      step.submittedAtMs = now;
      step.lastSubmissionId = req.submissionId;
      const late = now > step.dueAtMs ? ` (${formatDistance(now, step.dueAtMs)})` : '';
      if (step.reviewRequired) {
        step.status = 'submitted';
        emit({ kind: 'submitted', stageKey: step.stageKey, stepKey: step.key, atMs: now, actor: req.actor, summary: `Submission ${req.submissionId} received for ${step.title}${late}; awaiting review`, detail: { submissionId: req.submissionId } }, [step]);
      } else {
        step.status = 'accepted';
        step.acceptedAtMs = now;
        emit({ kind: 'accepted', stageKey: step.stageKey, stepKey: step.key, atMs: now, actor: req.actor, summary: `Submission ${req.submissionId} completes ${step.title}${late} (no review required)`, detail: { submissionId: req.submissionId } }, [step]);
      }
      return done(step);
    },
    {
      validator: (req: SubmitRequest) => {
        assertLive();
        const step = findStep(req.stepKey);
        refuse(notOpenReason(step));
        if (!req.submissionId) reject(StepRejection.InvalidRequest, 'submissionId is required');
      },
    },
  );

  setHandler(
    reviewUpdate,
    async (req: ReviewRequest) => {
      const step = findStep(req.stepKey);
      const now = Date.now();
      if (req.decision === 'accept') {
        step.status = 'accepted';
        step.acceptedAtMs = now;
        emit({ kind: 'accepted', stageKey: step.stageKey, stepKey: step.key, atMs: now, actor: req.actor, summary: `Submission ${req.submissionId} for ${step.title} accepted${req.comment ? `: ${req.comment}` : ''}`, detail: { submissionId: req.submissionId, comment: req.comment ?? null } }, [step]);
        if (req.items?.length) registerItems(step, req, now);
      } else {
        step.status = 'returned';
        step.returnedAtMs = now;
        emit({ kind: 'returned', stageKey: step.stageKey, stepKey: step.key, atMs: now, actor: req.actor, summary: `Submission ${req.submissionId} for ${step.title} returned for rework: ${req.comment}`, detail: { submissionId: req.submissionId, comment: req.comment } }, [step]);
        skipPast(step, now, 'their time passed while the submission was under review');
      }
      return done(step);
    },
    {
      validator: (req: ReviewRequest) => {
        assertLive();
        const step = findStep(req.stepKey);
        if (step.status !== 'submitted') reject(isDecided(step) ? StepRejection.AlreadyDecided : StepRejection.NotAwaitingReview, `step "${step.key}" has no submission awaiting review (it is ${step.status})`);
        if (req.submissionId !== step.lastSubmissionId) reject(StepRejection.SubmissionMismatch, `submission id mismatch: the latest submission of step "${step.key}" is ${step.lastSubmissionId}, not ${req.submissionId}`);
        if (req.decision !== 'accept' && req.decision !== 'return') reject(StepRejection.InvalidRequest, `decision must be accept or return, not ${String(req.decision)}`);
        if (req.decision === 'return' && !req.comment?.trim()) reject(StepRejection.InvalidRequest, 'a returned submission needs a comment saying what to fix');
        if (req.items !== undefined) {
          if (req.decision !== 'accept') reject(StepRejection.InvalidRequest, 'items come only with an accepted rectification plan');
          const why = itemsProblem(step, req.items, s.steps);
          if (why) reject(StepRejection.InvalidRequest, why);
        }
      },
    },
  );

  setHandler(
    extendUpdate,
    async (req: ExtendRequest) => {
      applyExtension(req);
      return done(findStep(req.stepKey));
    },
    {
      validator: (req: ExtendRequest) => {
        assertLive();
        refuse(extensionRefusal(req));
      },
    },
  );

  setHandler(
    waiveUpdate,
    async (req: WaiveRequest) => {
      const step = findStep(req.stepKey);
      const now = Date.now();
      step.status = 'waived';
      step.waivedAtMs = now;
      emit({ kind: 'waived', stageKey: step.stageKey, stepKey: step.key, atMs: now, actor: req.actor, summary: `${step.title} waived: ${req.reason}`, detail: { reason: req.reason } }, [step]);
      return done(step);
    },
    {
      validator: (req: WaiveRequest) => {
        assertLive();
        const step = findStep(req.stepKey);
        if (isDecided(step)) reject(StepRejection.AlreadyDecided, `step "${step.key}" is already ${step.status}`);
      },
    },
  );

  setHandler(pauseSignal, (req) => {
    if (s.state !== 'running') return;
    s.state = 'paused';
    emit({ kind: 'paused', stageKey: null, stepKey: null, atMs: Date.now(), actor: req.actor, summary: `Paused${req.reason ? `: ${req.reason}` : ''}; no step opens and no notice goes out until resumed`, detail: { reason: req.reason ?? null } });
    changed = true;
    void flush();
  });

  setHandler(resumeSignal, (req) => {
    if (s.state !== 'paused') return;
    const now = Date.now();
    s.state = 'running';
    s.resumedAtMs = now;
    emit({ kind: 'resumed', stageKey: null, stepKey: null, atMs: now, actor: req.actor, summary: `Resumed${req.reason ? `: ${req.reason}` : ''}`, detail: { reason: req.reason ?? null } });
    for (const step of s.steps) if (awaitsUnit(step)) skipPast(step, now, 'their time passed while the unit was paused');
    changed = true;
    void flush();
  });

  setHandler(cancelSignal, (req) => {
    if (s.state === 'cancelled' || s.state === 'completed') return;
    const now = Date.now();
    s.state = 'cancelled';
    const cancelled = s.steps.filter((st) => !isDecided(st));
    for (const st of cancelled) st.status = 'cancelled';
    emit({ kind: 'cancelled', stageKey: null, stepKey: null, atMs: now, actor: req.actor, summary: `Cancelled${req.reason ? `: ${req.reason}` : ''}; ${cancelled.length} unfinished step(s) cancelled`, detail: { reason: req.reason ?? null, steps: cancelled.map((st) => st.key) } }, cancelled);
    changed = true;
    void flush();
  });

  setHandler(extendSignal, (req) => {
    if (s.state === 'cancelled' || s.state === 'completed') return;
    const why = extensionProblem(req);
    if (why) {
      emit({ kind: 'extension_ignored', stageKey: null, stepKey: req.stepKey, atMs: Date.now(), actor: req.actor, summary: `Cycle-wide extension not applied: ${why}`, detail: { newDueAt: req.newDueAt } });
    } else {
      applyExtension(req);
    }
    changed = true;
    void flush();
  });

  // ---- the loop -------------------------------------------------------------------------------------------
  if (!carried) {
    const now = Date.now();
    emit({ kind: 'started', stageKey: null, stepKey: null, atMs: now, summary: `Started ${input.plan.campaignName} for ${input.unitName} (${input.unitCode}): ${s.steps.length} steps in ${stages.length} stages`, detail: { templateKey: input.plan.templateKey, templateVersion: input.plan.templateVersion } }, s.steps);
    enterStage(0, now);
  }
  /**
   * Before continue-as-new: deliveries finish (or, after DELIVERY_DRAIN_MS, are handed to the next run), every
   * update/signal handler has returned and every read-model write has landed. Repeated until all three hold in the
   * same activation, because an update can be admitted while we wait for deliveries or for a write; continueAsNew
   * is then called synchronously, so no handler can start in between.
   */
  const drainForContinueAsNew = async () => {
    const drainUntil = Date.now() + DELIVERY_DRAIN_MS;
    for (;;) {
      const left = drainUntil - Date.now();
      if (inFlight.size > 0 && left > 0) await condition(() => inFlight.size === 0, left);
      await condition(allHandlersFinished);
      await flush();
      if (allHandlersFinished() && buffer.length === 0) return;
    }
  };

  const limit = input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER;
  let waited = false;
  for (;;) {
    changed = false;
    processDue();
    if (s.state === 'cancelled') break;
    if (attendance.length) await runDueAttendanceChecks();
    if (s.state === 'running' && s.stageIndex >= stages.length && allSettled() && pendingAttendance().length === 0) break;
    const info = workflowInfo();
    // Only after one wait in this run, so a tiny limit still makes progress between runs.
    if (waited && (info.continueAsNewSuggested || info.historyLength > limit)) {
      if (patched('continue-as-new-drain-loop')) await drainForContinueAsNew();
      else {
        // Runs recorded before the drain loop (a race: an update admitted during the drain was cut off).
        await condition(allHandlersFinished);
        await flush();
        await Promise.race([condition(() => inFlight.size === 0), sleep(DELIVERY_DRAIN_MS)]);
      }
      s.carriedDeliveries = [...pendingDeliveries.values()];
      await continueAsNew<typeof unitCampaignWorkflow>(input, s);
    }
    const next = nextEventAt();
    if (next === undefined) await condition(() => changed);
    else await condition(() => changed, Math.max(1, next - Date.now()));
    waited = true;
  }

  if (s.state !== 'cancelled') {
    s.state = 'completed';
    emit({ kind: 'completed', stageKey: null, stepKey: null, atMs: Date.now(), summary: `Completed ${input.plan.campaignName}: every step is accepted, waived or settled`, detail: {} });
  }
  await condition(allHandlersFinished);
  await flush();
  await condition(() => inFlight.size === 0);
  return s;
}

/**
 * One unit's path through one campaign cycle: a long-lived workflow that opens steps, gates stages, sends deadline
 * notices and records every transition in the read model. The state and its transitions are UnitCampaign
 * (unit-campaign.ts), the timing arithmetic unit-timing.ts; this file wires them to Temporal: handlers that
 * delegate, and one loop, `condition(changed, untilNextEvent)`.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlannedDelivery } from '../../activities/notices/notice-delivery.contract';
import type { AttendanceCheckActivities } from '../../activities/attendance/attendance-check.activities';
import { STEP_REQUEST_REJECTED } from '../../libs/domain/src/errors';
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
import { UnitCampaign } from './unit-campaign';
import { LOCAL_WRITES_PATCH, NoticeOutbox, ReadModelWriter, unitWrites } from './unit-effects';
import type { Refusal } from './unit-refusals';
import { initialState, stepView, type StepState, type UnitCarriedState } from './unit-state';

const { checkAttendanceHours } = proxyActivities<AttendanceCheckActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const DEFAULT_CONTINUE_AS_NEW_AFTER = 2_000;
/** How long continue-as-new waits for running deliveries before handing them to the next run. */
const DELIVERY_DRAIN_MS = 10 * 60_000;

/**
 * Validators refuse with the reason as data (details[0]), so the api maps it without parsing the message. Only
 * validators throw, and a refused update leaves no trace in the history: replay is unaffected.
 */
function refuse(refusal: Refusal | undefined): void {
  if (!refusal) return;
  const [reason, message] = refusal;
  throw ApplicationFailure.create({ type: STEP_REQUEST_REJECTED, message, nonRetryable: true, details: [reason] });
}

export async function unitCampaignWorkflow(
  input: UnitWorkflowInput,
  carried?: UnitCarriedState,
): Promise<UnitCarriedState> {
  /**
   * Attendance checks at stage close (and completion waiting for them) are new behaviour: runs recorded before it
   * replay without the timer and the activity. Decided once, at the run's first activation.
   */
  const unit = new UnitCampaign(input, carried ?? initialState(input), patched('attendance-check-at-stage-close'));
  const s = unit.s;
  // Read-model writes and notice records as local activities (unit-effects.ts): runs recorded before replay theirs
  // as activities. Decided once, at the run's first activation, like the patch above.
  const writes = unitWrites(patched(LOCAL_WRITES_PATCH));
  const writer = new ReadModelWriter(() => unit.takeBatch(), writes);
  const flush = () => writer.flush();
  const notices = new NoticeOutbox(writes);
  for (const d of s.carriedDeliveries) notices.deliver(d as PlannedDelivery);
  s.carriedDeliveries = [];

  /** Set by every handler that changed something; the loop waits for it or for the next timed event. */
  let changed = false;
  const done = async (step: StepState) => {
    changed = true;
    await flush();
    return stepView(step);
  };
  const signalled = (applied: boolean) => {
    if (!applied) return;
    changed = true;
    void flush();
  };

  setHandler(unitStatusQuery, () => unit.status(Date.now()));
  setHandler(submitUpdate, async (req) => done(unit.submit(req, Date.now())), {
    validator: (req: SubmitRequest) => refuse(unit.submitRefusal(req)),
  });
  setHandler(reviewUpdate, async (req) => done(unit.review(req, Date.now())), {
    validator: (req: ReviewRequest) => refuse(unit.reviewRefusal(req)),
  });
  setHandler(extendUpdate, async (req) => done(unit.extend(req, Date.now())), {
    validator: (req: ExtendRequest) => refuse(unit.extendRefusal(req, Date.now())),
  });
  setHandler(waiveUpdate, async (req) => done(unit.waive(req, Date.now())), {
    validator: (req: WaiveRequest) => refuse(unit.waiveRefusal(req)),
  });
  setHandler(pauseSignal, (req) => signalled(unit.pause(req, Date.now())));
  setHandler(resumeSignal, (req) => signalled(unit.resume(req, Date.now())));
  setHandler(cancelSignal, (req) => signalled(unit.cancel(req, Date.now())));
  setHandler(extendSignal, (req) => signalled(unit.extendAll(req, Date.now())));

  /** Stages left, steps opened, notices due: recorded, sent and written. */
  const processDue = () => {
    if (unit.isOver) return;
    for (const notice of unit.advance(Date.now())) notices.send(notice);
    void flush();
  };

  /**
   * The attendance minimum of a stage is checked once, when its window closes or when the unit leaves the stage,
   * whichever comes first: by leaving, the unit has delivered the stage's work (its attendance deliverable included),
   * and the check must not keep a finished unit's workflow alive until the calendar close. The sum comes from PostgreSQL.
   */
  const runDueAttendanceChecks = async () => {
    for (const rule of unit.pendingAttendance()) {
      const atMs = unit.attendanceCheckAt(rule, Date.now());
      if (atMs === undefined) continue;
      const r = await checkAttendanceHours({
        cycleId: input.cycleId,
        unitId: input.unitId,
        stageKey: rule.stageKey,
        minHours: rule.minHours,
        checkedAt: new Date(atMs).toISOString(),
      });
      unit.recordAttendance(rule, r, atMs);
      await flush();
    }
  };

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
      if (notices.busy > 0 && left > 0) await condition(() => notices.busy === 0, left);
      await condition(allHandlersFinished);
      await flush();
      if (allHandlersFinished() && !unit.hasUnwrittenEvents) return;
    }
  };

  // ---- the loop -------------------------------------------------------------------------------------------
  if (!carried) unit.start(Date.now());
  const limit = input.continueAsNewAfterEvents ?? DEFAULT_CONTINUE_AS_NEW_AFTER;
  let waited = false;
  for (;;) {
    changed = false;
    processDue();
    if (s.state === 'cancelled') break;
    if (unit.hasAttendanceRules) await runDueAttendanceChecks();
    if (unit.isComplete(Date.now())) break;
    const info = workflowInfo();
    // Only after one wait in this run, so a tiny limit still makes progress between runs.
    if (waited && (info.continueAsNewSuggested || info.historyLength > limit)) {
      if (patched('continue-as-new-drain-loop')) await drainForContinueAsNew();
      else {
        // Runs recorded before the drain loop (a race: an update admitted during the drain was cut off).
        await condition(allHandlersFinished);
        await flush();
        await Promise.race([condition(() => notices.busy === 0), sleep(DELIVERY_DRAIN_MS)]);
      }
      s.carriedDeliveries = notices.unfinishedDeliveries();
      await continueAsNew<typeof unitCampaignWorkflow>(input, s);
    }
    const next = unit.nextEventAt(Date.now());
    if (next === undefined) await condition(() => changed);
    else await condition(() => changed, Math.max(1, next - Date.now()));
    waited = true;
  }

  unit.complete(Date.now());
  await condition(allHandlersFinished);
  await flush();
  await condition(() => notices.busy === 0);
  return s;
}

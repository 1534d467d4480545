/**
 * Why the unit workflow refuses an Update, as data: the reason code the api maps (details[0] of the failure) and the
 * message a person reads. Pure functions of the carried state; the workflow's validators throw the first refusal.
 * A refused update leaves no trace in the history, so these may change without breaking replay.
 */
import { StepRejection } from '../../libs/domain/src/errors';
import type { ExtendRequest, ReviewRequest, SubmitRequest, WaiveRequest } from './messages';
import { isDecided, itemsProblem, type StepState, type UnitCarriedState } from './unit-state';

export type Refusal = [StepRejection, string];

type Fmt = (ms: number) => string;

const unknownStep = (stepKey: string): Refusal => [StepRejection.UnknownStep, `unknown step "${stepKey}"`];
const alreadyDecided = (step: StepState): Refusal => [
  StepRejection.AlreadyDecided,
  `step "${step.key}" is already ${step.status}`,
];

function liveRefusal(s: UnitCarriedState): Refusal | undefined {
  if (s.state === 'cancelled') return [StepRejection.UnitNotLive, 'the cycle is cancelled for this unit'];
  if (s.state === 'completed') return [StepRejection.UnitNotLive, 'the unit has completed this cycle'];
  return undefined;
}

function notOpenRefusal(step: StepState, fmt: Fmt): Refusal | undefined {
  if (step.status === 'pending')
    return [
      StepRejection.StepNotOpen,
      `step "${step.key}" is not open yet (pending; its window opens ${fmt(step.opensAtMs)} once the unit is in stage ${step.stageKey})`,
    ];
  if (step.status === 'submitted')
    return [
      StepRejection.AlreadySubmitted,
      `step "${step.key}" is already submitted and awaiting review (submission ${step.lastSubmissionId})`,
    ];
  if (isDecided(step)) return alreadyDecided(step);
  return undefined;
}

/** Checks that hold for every update: the unit is live and the step exists; then the update's own checks. */
function refusalFor(
  s: UnitCarriedState,
  stepKey: string,
  own: (step: StepState) => Refusal | undefined,
): Refusal | undefined {
  const live = liveRefusal(s);
  if (live) return live;
  const step = s.steps.find((st) => st.key === stepKey);
  return step ? own(step) : unknownStep(stepKey);
}

export const submitRefusal = (s: UnitCarriedState, req: SubmitRequest, fmt: Fmt): Refusal | undefined =>
  refusalFor(
    s,
    req.stepKey,
    (step) =>
      notOpenRefusal(step, fmt) ??
      (req.submissionId ? undefined : [StepRejection.InvalidRequest, 'submissionId is required']),
  );

export const reviewRefusal = (s: UnitCarriedState, req: ReviewRequest): Refusal | undefined =>
  refusalFor(s, req.stepKey, (step): Refusal | undefined => {
    if (step.status !== 'submitted')
      return [
        isDecided(step) ? StepRejection.AlreadyDecided : StepRejection.NotAwaitingReview,
        `step "${step.key}" has no submission awaiting review (it is ${step.status})`,
      ];
    if (req.submissionId !== step.lastSubmissionId)
      return [
        StepRejection.SubmissionMismatch,
        `submission id mismatch: the latest submission of step "${step.key}" is ${step.lastSubmissionId}, not ${req.submissionId}`,
      ];
    if (req.decision !== 'accept' && req.decision !== 'return')
      return [StepRejection.InvalidRequest, `decision must be accept or return, not ${String(req.decision)}`];
    if (req.decision === 'return' && !req.comment?.trim())
      return [StepRejection.InvalidRequest, 'a returned submission needs a comment saying what to fix'];
    if (req.items === undefined) return undefined;
    if (req.decision !== 'accept')
      return [StepRejection.InvalidRequest, 'items come only with an accepted rectification plan'];
    const why = itemsProblem(step, req.items, s.steps);
    return why ? [StepRejection.InvalidRequest, why] : undefined;
  });

/** Also the reason a cycle-wide extension (a signal: it cannot be refused) is recorded as not applied to this unit. */
export function extensionProblem(s: UnitCarriedState, req: ExtendRequest, nowMs: number): Refusal | undefined {
  const step = s.steps.find((st) => st.key === req.stepKey);
  if (!step) return unknownStep(req.stepKey);
  if (isDecided(step)) return alreadyDecided(step);
  const due = Date.parse(req.newDueAt);
  if (Number.isNaN(due)) return [StepRejection.InvalidRequest, `newDueAt "${req.newDueAt}" is not an ISO instant`];
  if (due <= nowMs) return [StepRejection.InvalidRequest, `newDueAt ${req.newDueAt} is not in the future`];
  return undefined;
}

export const extendRefusal = (s: UnitCarriedState, req: ExtendRequest, nowMs: number): Refusal | undefined =>
  liveRefusal(s) ?? extensionProblem(s, req, nowMs);

export const waiveRefusal = (s: UnitCarriedState, req: WaiveRequest): Refusal | undefined =>
  refusalFor(s, req.stepKey, (step) => (isDecided(step) ? alreadyDecided(step) : undefined));

import type { StepStatusName } from '../campaign/statuses';

/**
 * The unit workflow is the source of truth for a step's state; a submission row follows it, whichever road moved
 * the step (the unit's submit, a reviewer, the office's drive tools, a waiver, a cancelled cycle).
 */
export const SUBMISSION_STATUSES = [
  'draft',
  'submitting',
  'submitted',
  'returned',
  'accepted',
  'waived',
  'cancelled',
] as const;
export type SubmissionStatus = (typeof SUBMISSION_STATUSES)[number];

/** Statuses in which the unit holds the pen (the draft may change, attachments may be added, it may be submitted). */
export const EDITABLE_STATUSES: readonly SubmissionStatus[] = ['draft', 'returned'];
/** The step is decided: the row never changes again. */
export const FINAL_STATUSES: readonly SubmissionStatus[] = ['accepted', 'waived', 'cancelled'];

/** The step as the workflow (or its read model) reports it. */
export interface StepState {
  status: StepStatusName;
  lastSubmissionId?: string | null;
}

export interface SubmissionState {
  status: SubmissionStatus;
  /** Id of the submission's latest version (null before the first submit). */
  currentVersionId: string | null;
}

export interface FollowedState {
  status: SubmissionStatus;
  /** The decision to record on the current version (it was the one the workflow decided on). */
  decision?: 'accepted' | 'returned';
}

/**
 * What the submission row becomes given the step's state; undefined: nothing changes.
 * - A decided step (accepted, waived, cancelled) decides the row: its status becomes the step's. The current version
 *   gets the decision only if it is the submission the workflow decided on.
 * - Submitted/returned with our latest version: the row follows (a half-done submit or review is completed).
 * - Anything else (the step waits for the unit, or holds another submission) leaves the row alone.
 */
export function followStep(row: SubmissionState, step: StepState): FollowedState | undefined {
  if (FINAL_STATUSES.includes(row.status)) return undefined;
  const ours = !!row.currentVersionId && step.lastSubmissionId === row.currentVersionId;
  const awaitingDecision = row.status === 'submitted' || row.status === 'submitting';
  switch (step.status) {
    case 'accepted':
      return { status: 'accepted', ...(ours && awaitingDecision ? { decision: 'accepted' as const } : {}) };
    case 'waived':
    case 'cancelled':
      return { status: step.status };
    case 'submitted':
      return ours && row.status === 'submitting' ? { status: 'submitted' } : undefined;
    case 'returned':
      return ours && awaitingDecision ? { status: 'returned', decision: 'returned' } : undefined;
    case 'pending':
    case 'open':
      return undefined;
    default: {
      const unknown: never = step.status;
      throw new Error(`unknown step status ${String(unknown)}`);
    }
  }
}

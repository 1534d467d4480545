import type { EntityManager } from 'typeorm';
import {
  followStep,
  type FollowedState,
  type StepState,
  type SubmissionStatus,
} from '../../../domain/src/submissions/follow-step';
import { SubmissionSyncRepository } from '../repositories/submission-sync.repository';

export interface FollowedRow extends FollowedState {
  submissionId: string;
  previous: SubmissionStatus;
}

/**
 * Makes the unit's submission for `stepKey` follow the step's state (libs/domain followStep), in the caller's
 * transaction: the row is locked, its status set, and the current version decided when the workflow decided on it.
 * Called by the read-model activity for every step transition, and by the api's reconciler.
 */
export async function followStepInSubmission(
  m: EntityManager,
  cycleId: string,
  unitId: string,
  stepKey: string,
  step: StepState,
): Promise<FollowedRow | undefined> {
  const rows = new SubmissionSyncRepository(m);
  const row = await rows.lockOfStep(cycleId, unitId, stepKey);
  if (!row) return undefined;
  const next = followStep({ status: row.status, currentVersionId: row.current_version_id }, step);
  if (!next) return undefined;
  await rows.setStatus(row.id, next.status);
  if (next.decision) await rows.decideVersion(row.current_version_id, next.decision);
  return { ...next, submissionId: row.id, previous: row.status };
}

/** Submissions whose step (read model) has moved on without them: what the reconciler repairs. */
export async function submissionsBehindTheirStep(
  m: EntityManager,
  limit: number,
): Promise<{ cycleId: string; unitId: string; stepKey: string; step: StepState }[]> {
  const rows = await new SubmissionSyncRepository(m).behindTheirStep(limit);
  return rows.map((r) => ({
    cycleId: r.cycle_id,
    unitId: r.unit_id,
    stepKey: r.step_key,
    step: { status: r.status, lastSubmissionId: r.last_submission_id },
  }));
}

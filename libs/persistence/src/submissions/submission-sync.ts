import type { EntityManager } from 'typeorm';
import { followStep, type FollowedState, type StepState, type SubmissionStatus } from '../../../domain/src/submissions/follow-step';

export interface FollowedRow extends FollowedState {
  submissionId: string;
  previous: SubmissionStatus;
}

/**
 * Makes the unit's submission for `stepKey` follow the step's state (libs/domain followStep), in the caller's
 * transaction: the row is locked, its status set, and the current version decided when the workflow decided on it.
 * Called by the read-model activity for every step transition, and by the api's reconciler.
 */
export async function followStepInSubmission(m: EntityManager, cycleId: string, unitId: string, stepKey: string, step: StepState): Promise<FollowedRow | undefined> {
  const [row]: { id: string; status: SubmissionStatus; current_version_id: string | null }[] = await m.query(
    `SELECT s.id, s.status, v.id AS current_version_id
       FROM submission s LEFT JOIN submission_version v ON v.submission_id = s.id AND v.version = s.current_version
      WHERE s.cycle_id = $1 AND s.unit_id = $2 AND s.step_key = $3
        FOR UPDATE OF s`,
    [cycleId, unitId, stepKey],
  );
  if (!row) return undefined;
  const next = followStep({ status: row.status, currentVersionId: row.current_version_id }, step);
  if (!next) return undefined;
  await m.query(`UPDATE submission SET status = $2, updated_at = now() WHERE id = $1`, [row.id, next.status]);
  if (next.decision) await m.query(`UPDATE submission_version SET decision = $2, decided_at = now() WHERE id = $1 AND decision IS NULL`, [row.current_version_id, next.decision]);
  return { ...next, submissionId: row.id, previous: row.status };
}

/** Submissions whose step (read model) has moved on without them: what the reconciler repairs. */
export async function submissionsBehindTheirStep(m: EntityManager, limit: number): Promise<{ cycleId: string; unitId: string; stepKey: string; step: StepState }[]> {
  const rows: { cycle_id: string; unit_id: string; step_key: string; status: StepState['status']; last_submission_id: string | null }[] = await m.query(
    `SELECT s.cycle_id, s.unit_id, s.step_key, us.status, us.last_submission_id
       FROM submission s
       JOIN unit_step_status us ON us.cycle_id = s.cycle_id AND us.unit_id = s.unit_id AND us.step_key = s.step_key
      WHERE s.status NOT IN ('accepted', 'waived', 'cancelled')
        AND (us.status IN ('accepted', 'waived', 'cancelled') OR (s.status IN ('submitted', 'submitting') AND us.status <> s.status))
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => ({ cycleId: r.cycle_id, unitId: r.unit_id, stepKey: r.step_key, step: { status: r.status, lastSubmissionId: r.last_submission_id } }));
}

import { Inject, Injectable } from '@nestjs/common';
import type { StepState, SubmissionStatus } from '../../../domain/src/submissions/follow-step';
import { Db } from '../db';
import type { Queryable } from '../queryable';

/** A unit's submission of one step, locked, with the id of its current version (null before the first submit). */
export interface LockedSubmissionRow {
  id: string;
  status: SubmissionStatus;
  current_version_id: string | null;
}

/** A submission whose step (read model) has moved on without it. */
export interface SubmissionBehindStepRow {
  cycle_id: string;
  unit_id: string;
  step_key: string;
  status: StepState['status'];
  last_submission_id: string | null;
}

/**
 * The statements that make a submission row follow its step (libs/persistence/src/submissions/submission-sync.ts),
 * shared by the read-model activity and the api. Runs on the connection it is given: the activity's own transaction
 * manager, or Db (the api's request transaction).
 */
@Injectable()
export class SubmissionSyncRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** The row of (cycle, unit, step), locked until the caller's transaction ends. */
  async lockOfStep(cycleId: string, unitId: string, stepKey: string): Promise<LockedSubmissionRow | undefined> {
    const rows: LockedSubmissionRow[] = await this.db.query(
      `SELECT s.id, s.status, v.id AS current_version_id
         FROM submission s LEFT JOIN submission_version v ON v.submission_id = s.id AND v.version = s.current_version
        WHERE s.cycle_id = $1 AND s.unit_id = $2 AND s.step_key = $3
          FOR UPDATE OF s`,
      [cycleId, unitId, stepKey],
    );
    return rows[0];
  }

  async setStatus(id: string, status: SubmissionStatus): Promise<void> {
    await this.db.query(`UPDATE submission SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
  }

  /** Records the workflow's decision on a version not decided yet (a reviewer's own record is never overwritten). */
  async decideVersion(versionId: string | null, decision: 'accepted' | 'returned'): Promise<void> {
    await this.db.query(
      `UPDATE submission_version SET decision = $2, decided_at = now() WHERE id = $1 AND decision IS NULL`,
      [versionId, decision],
    );
  }

  behindTheirStep(limit: number): Promise<SubmissionBehindStepRow[]> {
    return this.db.query(
      `SELECT s.cycle_id, s.unit_id, s.step_key, us.status, us.last_submission_id
         FROM submission s
         JOIN unit_step_status us ON us.cycle_id = s.cycle_id AND us.unit_id = s.unit_id AND us.step_key = s.step_key
        WHERE s.status NOT IN ('accepted', 'waived', 'cancelled')
          AND (us.status IN ('accepted', 'waived', 'cancelled') OR (s.status IN ('submitted', 'submitting') AND us.status <> s.status))
        LIMIT $1`,
      [limit],
    );
  }
}

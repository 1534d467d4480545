import { Inject, Injectable } from '@nestjs/common';
import type { CyclePlan } from '../../../../libs/domain/src';
import { Db, type Queryable } from '../../../../libs/persistence/src';
import type { UnitScope } from '../../../../libs/persistence/src/unit-scope';
import type { VersionContent } from './submission-views';

/** A latest version awaiting a decision, with what the queue shows beside it (the submissions feature's snake_case). */
export interface AwaitingReviewRow {
  /** The submission's id. */
  id: string;
  cycle_id: string;
  unit_id: string;
  step_key: string;
  version_id: string;
  version: number;
  content: VersionContent;
  submitted_at: Date;
  /** E-mail of the submitting account; null once the account is gone. */
  submitted_by: string | null;
  cycle_name: string;
  cycle_zone: string | null;
  unit_code: string;
  unit_name: string;
  /** The read model's title of the step; null before the workflow reported it. */
  step_title: string | null;
  due_at: Date | null;
  /** The plan of the unit's kind; null when the unit is no longer in the cycle. */
  plan: CyclePlan | null;
  /** Earlier versions of the submission that were returned. */
  returned_before: number;
}

export interface AwaitingReviewFilter {
  /** Only this cycle (null: every cycle). */
  cycleId: string | null;
  scope: UnitScope;
  limit: number;
}

const FROM = `FROM submission s JOIN submission_version v ON v.submission_id = s.id AND v.version = s.current_version`;

/** The review queue's reads: latest versions still awaiting a decision, within the caller's units. */
@Injectable()
export class ReviewQueueRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** How many versions await review in all, and the `limit` oldest of them (oldest submission first). */
  async awaiting(filter: AwaitingReviewFilter): Promise<{ total: number; rows: AwaitingReviewRow[] }> {
    const scope = filter.scope('s.unit_id', 2);
    const params = [filter.cycleId, ...(scope?.params ?? [])];
    const where = `s.status = 'submitted' AND v.decision IS NULL AND ($1::uuid IS NULL OR s.cycle_id = $1) ${scope ? `AND ${scope.sql}` : ''}`;
    const [{ total }] = await this.db.query<{ total: number }>(
      `SELECT count(*)::int AS total ${FROM} WHERE ${where}`,
      params,
    );
    const rows = await this.db.query<AwaitingReviewRow>(
      `SELECT s.id, s.cycle_id, s.unit_id, s.step_key, v.id AS version_id, v.version, v.content, v.submitted_at, a.email AS submitted_by,
              c.name AS cycle_name, c.time_zone AS cycle_zone, u.code AS unit_code, u.name AS unit_name, st.title AS step_title, st.due_at,
              cp.plan,
              (SELECT count(*)::int FROM submission_version r WHERE r.submission_id = s.id AND r.decision = 'returned') AS returned_before
         ${FROM}
         JOIN campaign_cycle c ON c.id = s.cycle_id
         JOIN unit u ON u.id = s.unit_id
         LEFT JOIN app_user a ON a.id = v.submitted_by
         LEFT JOIN unit_step_status st ON st.cycle_id = s.cycle_id AND st.unit_id = s.unit_id AND st.step_key = s.step_key
         LEFT JOIN cycle_unit cu ON cu.cycle_id = s.cycle_id AND cu.unit_id = s.unit_id
         LEFT JOIN cycle_plan cp ON cp.cycle_id = s.cycle_id AND cp.unit_kind = cu.unit_kind
        WHERE ${where}
        ORDER BY v.submitted_at, s.id
        LIMIT ${Number(filter.limit)}`,
      params,
    );
    return { total, rows };
  }
}

import { Injectable } from '@nestjs/common';
import type { Assessment, GoalView, ReviewView } from '../../../../libs/domain/src/commitments/fulfilment';
import { Db } from '../../../../libs/persistence/src';
import type { UnitScope } from '../../../../libs/persistence/src/unit-scope';

export interface CommitmentRow {
  id: string;
  cycleId: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  title: string;
  content: string;
  createdBy: string;
  createdAt: Date;
}

/** What a leader review says, as recorded (its instant and goal assessments are stored apart). */
type ReviewFields = Omit<ReviewView, 'recordedAt' | 'goals'>;

export type LeaderReviewRow = ReviewFields & { recordedAt: Date };

export interface GoalAssessmentRow {
  reviewId: string;
  goalId: string;
  ordinal: number;
  assessment: Assessment;
  comment: string;
}

/** public_commitment with its goals, and the leader reviews (leader_review, leader_review_goal) of each. */
@Injectable()
export class CommitmentRepository {
  constructor(private readonly db: Db) {}

  async idOf(cycleId: string, unitId: string): Promise<string | undefined> {
    return (
      await this.db.query<{ id: string }>(`SELECT id FROM public_commitment WHERE cycle_id = $1 AND unit_id = $2`, [
        cycleId,
        unitId,
      ])
    )[0]?.id;
  }

  /** The commitment and its goals (numbered 1… in the order given). */
  async insert(c: {
    id: string;
    cycleId: string;
    unitId: string;
    title: string;
    content: string;
    createdBy: string;
    goals: { title: string; measure: string; targetDate: string }[];
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO public_commitment (id, cycle_id, unit_id, title, content, created_by) VALUES ($1, $2, $3, $4, $5, $6)`,
      [c.id, c.cycleId, c.unitId, c.title, c.content, c.createdBy],
    );
    await this.db.query(
      `INSERT INTO commitment_goal (id, commitment_id, ordinal, title, measure, target_date)
       SELECT gen_random_uuid(), $1, g.ordinal, g.title, g.measure, g.target::date
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[]) AS g(ordinal, title, measure, target)`,
      [
        c.id,
        c.goals.map((_, i) => i + 1),
        c.goals.map((g) => g.title),
        c.goals.map((g) => g.measure),
        c.goals.map((g) => g.targetDate),
      ],
    );
  }

  /** The review and its assessment of each goal. */
  async insertReview(
    r: ReviewFields & { commitmentId: string; goals: Omit<GoalAssessmentRow, 'reviewId' | 'ordinal'>[] },
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO leader_review (id, commitment_id, period, reviewer, reviewed_on, strengths, shortcomings, direction, recorded_by)
       VALUES ($1, $2, $3, $4, $5::date, $6, $7, $8, $9)`,
      [
        r.id,
        r.commitmentId,
        r.period,
        r.reviewer,
        r.reviewedOn,
        r.strengths,
        r.shortcomings,
        r.direction,
        r.recordedBy,
      ],
    );
    await this.db.query(
      `INSERT INTO leader_review_goal (review_id, goal_id, assessment, comment) SELECT $1, g.goal, g.assessment, g.comment FROM unnest($2::uuid[], $3::text[], $4::text[]) AS g(goal, assessment, comment)`,
      [r.id, r.goals.map((a) => a.goalId), r.goals.map((a) => a.assessment), r.goals.map((a) => a.comment)],
    );
  }

  /** Ids of the commitments within `scope` (and the cycle and unit when given), oldest first. */
  async ids(filter: { cycleId?: string; unitId?: string; scope: UnitScope; limit: number }): Promise<string[]> {
    const scope = filter.scope('unit_id', 3);
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM public_commitment WHERE ($1::uuid IS NULL OR cycle_id = $1) AND ($2::uuid IS NULL OR unit_id = $2) ${scope ? `AND ${scope.sql}` : ''}
        ORDER BY created_at, id LIMIT ${Number(filter.limit)}`,
      [filter.cycleId ?? null, filter.unitId ?? null, ...(scope?.params ?? [])],
    );
    return rows.map((r) => r.id);
  }

  async find(id: string): Promise<CommitmentRow | undefined> {
    const rows = await this.db.query<CommitmentRow>(
      `SELECT c.id, c.cycle_id AS "cycleId", c.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", c.title, c.content,
              c.created_by AS "createdBy", c.created_at AS "createdAt"
         FROM public_commitment c JOIN unit u ON u.id = c.unit_id WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }

  goals(commitmentId: string): Promise<GoalView[]> {
    return this.db.query<GoalView>(
      `SELECT id, ordinal, title, measure, to_char(target_date, 'YYYY-MM-DD') AS "targetDate" FROM commitment_goal WHERE commitment_id = $1 ORDER BY ordinal`,
      [commitmentId],
    );
  }

  reviews(commitmentId: string): Promise<LeaderReviewRow[]> {
    return this.db.query<LeaderReviewRow>(
      `SELECT id, period, reviewer, to_char(reviewed_on, 'YYYY-MM-DD') AS "reviewedOn", strengths, shortcomings, direction,
              recorded_by AS "recordedBy", recorded_at AS "recordedAt"
         FROM leader_review WHERE commitment_id = $1 ORDER BY period`,
      [commitmentId],
    );
  }

  /** Every goal assessment of every review of the commitment, by goal number. */
  assessments(commitmentId: string): Promise<GoalAssessmentRow[]> {
    return this.db.query<GoalAssessmentRow>(
      `SELECT rg.review_id AS "reviewId", rg.goal_id AS "goalId", g.ordinal, rg.assessment, rg.comment
         FROM leader_review_goal rg JOIN commitment_goal g ON g.id = rg.goal_id JOIN leader_review r ON r.id = rg.review_id
        WHERE r.commitment_id = $1 ORDER BY g.ordinal`,
      [commitmentId],
    );
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Public commitments (公开承诺) and half-yearly leader reviews (领导点评) — seed 000: each unit makes an annual public
 * commitment with staged goals that are "concrete, operable, checkable" (实在、可操作、可检查); every half year a leader
 * reviews it (肯定成绩、找出不足、提出努力方向) and checks each goal's fulfilment (践诺). One commitment per unit and
 * cycle, one review per commitment and half-year; a review assesses every goal of the commitment once.
 */
export class Commitments1763700710000 implements MigrationInterface {
  name = 'Commitments1763700710000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE public_commitment (
        id uuid PRIMARY KEY,
        cycle_id uuid NOT NULL REFERENCES campaign_cycle(id),
        unit_id uuid NOT NULL REFERENCES unit(id),
        title text NOT NULL CHECK (length(title) > 0),
        content text NOT NULL CHECK (length(content) > 0),
        created_by uuid NOT NULL REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, unit_id)
      )`);
    await q.query(`
      CREATE TABLE commitment_goal (
        id uuid PRIMARY KEY,
        commitment_id uuid NOT NULL REFERENCES public_commitment(id) ON DELETE CASCADE,
        ordinal int NOT NULL CHECK (ordinal >= 1),
        title text NOT NULL CHECK (length(title) > 0),
        measure text NOT NULL CHECK (length(measure) > 0),
        target_date date NOT NULL,
        UNIQUE (commitment_id, ordinal)
      )`);
    await q.query(`
      CREATE TABLE leader_review (
        id uuid PRIMARY KEY,
        commitment_id uuid NOT NULL REFERENCES public_commitment(id) ON DELETE CASCADE,
        period text NOT NULL CHECK (period ~ '^[0-9]{4}-H[12]$'),
        reviewer text NOT NULL CHECK (length(reviewer) > 0),
        reviewed_on date NOT NULL,
        strengths text NOT NULL,
        shortcomings text NOT NULL,
        direction text NOT NULL,
        recorded_by uuid NOT NULL REFERENCES app_user(id),
        recorded_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (commitment_id, period)
      )`);
    await q.query(`
      CREATE TABLE leader_review_goal (
        review_id uuid NOT NULL REFERENCES leader_review(id) ON DELETE CASCADE,
        goal_id uuid NOT NULL REFERENCES commitment_goal(id) ON DELETE CASCADE,
        assessment text NOT NULL CHECK (assessment IN ('fulfilled', 'partly', 'not_yet')),
        comment text NOT NULL DEFAULT '',
        PRIMARY KEY (review_id, goal_id)
      )`);
    await q.query(`CREATE INDEX public_commitment_unit ON public_commitment (unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['leader_review_goal', 'leader_review', 'commitment_goal', 'public_commitment'])
      await q.query(`DROP TABLE ${t}`);
  }
}

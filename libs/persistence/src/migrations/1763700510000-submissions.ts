import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Submissions: one per (cycle, unit, step) with a mutable draft; each submit freezes the draft into an immutable
 * version (its id is the submissionId the unit workflow records), which the office accepts or returns.
 * Attachments are immutable files referenced by drafts and versions. Idempotency keys store the first response.
 */
export class Submissions1763700510000 implements MigrationInterface {
  name = 'Submissions1763700510000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE submission (
        id uuid PRIMARY KEY,
        cycle_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        step_key text NOT NULL,
        status text NOT NULL CHECK (status IN ('draft', 'submitted', 'returned', 'accepted')),
        draft jsonb NOT NULL,
        current_version int NOT NULL DEFAULT 0,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (cycle_id, unit_id, step_key),
        FOREIGN KEY (cycle_id, unit_id) REFERENCES cycle_unit(cycle_id, unit_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX submission_unit_idx ON submission (unit_id, cycle_id)`);
    await q.query(`CREATE INDEX submission_cycle_status_idx ON submission (cycle_id, status)`);
    await q.query(`
      CREATE TABLE submission_version (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
        version int NOT NULL CHECK (version > 0),
        content jsonb NOT NULL,
        submitted_by uuid NOT NULL REFERENCES app_user(id),
        submitted_at timestamptz NOT NULL DEFAULT now(),
        decision text CHECK (decision IN ('accepted', 'returned')),
        decided_by uuid REFERENCES app_user(id),
        decided_at timestamptz,
        review_comment text,
        UNIQUE (submission_id, version),
        CHECK ((decision IS NULL) = (decided_at IS NULL))
      )`);
    await q.query(`
      CREATE TABLE submission_attachment (
        id uuid PRIMARY KEY,
        submission_id uuid NOT NULL REFERENCES submission(id) ON DELETE CASCADE,
        deliverable_key text NOT NULL,
        file_name text NOT NULL,
        mime_type text NOT NULL,
        size_bytes bigint NOT NULL CHECK (size_bytes >= 0),
        sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        storage_key text NOT NULL,
        uploaded_by uuid NOT NULL REFERENCES app_user(id),
        uploaded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX submission_attachment_submission_idx ON submission_attachment (submission_id)`);
    await q.query(`
      CREATE TABLE idempotency_key (
        actor text NOT NULL,
        key text NOT NULL,
        route text NOT NULL,
        request_hash text NOT NULL,
        status_code int NOT NULL,
        response jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (actor, key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['idempotency_key', 'submission_attachment', 'submission_version', 'submission'])
      await q.query(`DROP TABLE ${t}`);
  }
}

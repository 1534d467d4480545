import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Data access under load (docs/RELIABILITY.md):
 * - submission.status gains `submitting` (intent recorded, the workflow's answer not yet), `waived` and `cancelled`
 *   (the step was moved on the office's road; the row follows the workflow);
 * - drafts carry a revision (optimistic concurrency: If-Match) and who saved them last;
 * - idempotency keys and cycle starts keep their canonical request, so a key reused for another request is refused
 *   naming the fields that differ.
 */
export class SubmissionConcurrency1764000000000 implements MigrationInterface {
  name = 'SubmissionConcurrency1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE submission DROP CONSTRAINT submission_status_check`);
    await q.query(
      `ALTER TABLE submission ADD CONSTRAINT submission_status_check CHECK (status IN ('draft', 'submitting', 'submitted', 'returned', 'accepted', 'waived', 'cancelled'))`,
    );
    await q.query(
      `ALTER TABLE submission ADD COLUMN draft_revision int NOT NULL DEFAULT 1, ADD COLUMN draft_saved_by uuid REFERENCES app_user(id)`,
    );
    await q.query(`UPDATE submission SET draft_saved_by = created_by`);
    // the reconciler's scan: half-done submits
    await q.query(`CREATE INDEX submission_submitting_idx ON submission (updated_at) WHERE status = 'submitting'`);
    await q.query(`ALTER TABLE idempotency_key ADD COLUMN request jsonb`);
    await q.query(`ALTER TABLE campaign_cycle ADD COLUMN request jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE campaign_cycle DROP COLUMN request`);
    await q.query(`ALTER TABLE idempotency_key DROP COLUMN request`);
    await q.query(`DROP INDEX submission_submitting_idx`);
    await q.query(`ALTER TABLE submission DROP COLUMN draft_saved_by, DROP COLUMN draft_revision`);
    await q.query(`UPDATE submission SET status = 'submitted' WHERE status = 'submitting'`);
    await q.query(`UPDATE submission SET status = 'accepted' WHERE status IN ('waived', 'cancelled')`);
    await q.query(`ALTER TABLE submission DROP CONSTRAINT submission_status_check`);
    await q.query(
      `ALTER TABLE submission ADD CONSTRAINT submission_status_check CHECK (status IN ('draft', 'submitted', 'returned', 'accepted'))`,
    );
  }
}

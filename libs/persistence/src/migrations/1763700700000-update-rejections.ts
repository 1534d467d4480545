import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Updates a workflow refused in its validator (submit to a step that is not open, review of a decided step, …).
 * Temporal does not keep rejected updates in the workflow's history, so the api records them here for the admin
 * timeline (apps/api/src/inspection). Not audit_log: a refused request writes nothing there by contract.
 */
export class UpdateRejections1763700700000 implements MigrationInterface {
  name = 'UpdateRejections1763700700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workflow_update_rejection (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        workflow_id text NOT NULL,
        run_id text,
        update_name text NOT NULL,
        update_id text,
        actor text,
        args jsonb,
        reason text NOT NULL
      )`);
    await q.query(`CREATE INDEX workflow_update_rejection_workflow ON workflow_update_rejection (workflow_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workflow_update_rejection`);
  }
}

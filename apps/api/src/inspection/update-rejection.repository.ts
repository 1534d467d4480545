import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';

/** An update the workflow refused (Temporal's history keeps no trace of it). */
export interface UpdateRejection {
  workflowId: string;
  runId: string | null;
  update: string;
  updateId: string | null;
  actor: string | null;
  args: unknown;
  reason: string;
}

export interface UpdateRejectionRow extends Omit<UpdateRejection, 'workflowId' | 'actor'> {
  at: Date;
}

/** workflow_update_rejection: appended by the api's Temporal client interceptor, read by the admin timeline. */
@Injectable()
export class UpdateRejectionRepository {
  constructor(private readonly db: Db) {}

  async insert(r: UpdateRejection): Promise<void> {
    await this.db.query(
      `INSERT INTO workflow_update_rejection (workflow_id, run_id, update_name, update_id, actor, args, reason) VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
      [r.workflowId, r.runId, r.update, r.updateId, r.actor, JSON.stringify(r.args ?? null), r.reason],
    );
  }

  /** The workflow's refused updates in the order they were recorded. */
  forWorkflow(workflowId: string): Promise<UpdateRejectionRow[]> {
    return this.db.query<UpdateRejectionRow>(
      `SELECT at, update_name AS update, update_id AS "updateId", run_id AS "runId", args, reason FROM workflow_update_rejection WHERE workflow_id = $1 ORDER BY id`,
      [workflowId],
    );
  }
}

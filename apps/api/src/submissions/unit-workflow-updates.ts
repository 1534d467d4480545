import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import { ReviewRequest, reviewUpdate, StepView, SubmitRequest, submitUpdate } from '../../../../workflows/campaign/messages';

/**
 * Sends submit/review updates to a unit's workflow. The update id is derived from the submission version, so a
 * retried request (same Idempotency-Key → same version id) gets the workflow's first answer instead of a second
 * submission. A rejection by the workflow's validator (step not open, already decided, …) is a 409 with its reason.
 */
@Injectable()
export class UnitWorkflowUpdates {
  constructor(@InjectTemporalClient() private readonly temporal: Client) {}

  submit(workflowId: string, req: SubmitRequest): Promise<StepView> {
    return this.call(workflowId, () => this.temporal.workflow.getHandle(workflowId).executeUpdate(submitUpdate, { args: [req], updateId: `submit/${req.submissionId}` }));
  }

  /** The decision is part of the update id: a retry re-sends the same decision; a different one is a new request. */
  async review(workflowId: string, req: ReviewRequest): Promise<StepView> {
    const step = await this.call(workflowId, () => this.temporal.workflow.getHandle(workflowId).executeUpdate(reviewUpdate, { args: [req], updateId: `review/${req.submissionId}/${req.decision}` }));
    const expected = req.decision === 'accept' ? 'accepted' : 'returned';
    if (step.status !== expected) {
      throw new DomainError(ErrorCode.Conflict, `the unit's workflow reports step ${step.key} as ${step.status}, not ${expected}: nothing recorded`);
    }
    return step;
  }

  private async call(workflowId: string, send: () => Promise<StepView>): Promise<StepView> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        const reason = error.cause?.message ?? error.message;
        throw new DomainError(ErrorCode.Conflict, `the unit's workflow refused: ${reason}`, [{ field: 'step', problem: reason }]);
      }
      if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') {
        throw new DomainError(ErrorCode.Conflict, `the unit's workflow ${workflowId} is not running (cycle not started, finished or cancelled)`);
      }
      throw new DomainError(ErrorCode.Unavailable, `Temporal is unavailable: ${(error as Error).message}`);
    }
  }
}

import { ApplicationFailure, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { mapUpdateError } from '../../../apps/api/src/workflow-gateway/unit-workflow.gateway';
import { ErrorCode, STEP_REQUEST_REJECTED, StepRejection } from '../../../libs/domain/src';

/**
 * The gateway's one error mapping, on the SDK's own error classes (the integration tests send real refusals:
 * office-actions.e2e.spec.ts, review-loop.e2e.spec.ts).
 */
describe('UnitWorkflowGateway error mapping', () => {
  const refused = (details?: unknown[], type = STEP_REQUEST_REJECTED) =>
    new WorkflowUpdateFailedError(
      'update failed',
      ApplicationFailure.create({ type, message: 'step "s1" is not open yet', nonRetryable: true, details }),
    );

  it("reads the reason from the failure's details, never from its message", () => {
    const e = mapUpdateError('wf-1', refused([StepRejection.StepNotOpen]));
    expect([e.code, e.reason, e.message]).toEqual([
      ErrorCode.Conflict,
      'STEP_NOT_OPEN',
      `the unit's workflow refused: step "s1" is not open yet`,
    ]);
    expect(e.details).toEqual([{ field: 'step', problem: 'step "s1" is not open yet' }]);
  });

  it('a refusal without a known reason (an older worker) is WORKFLOW_REFUSED', () => {
    expect(mapUpdateError('wf-1', refused()).reason).toBe('WORKFLOW_REFUSED');
    expect(mapUpdateError('wf-1', refused(['SOMETHING_NEW'])).reason).toBe('WORKFLOW_REFUSED');
    expect(mapUpdateError('wf-1', refused([StepRejection.StepNotOpen], 'OtherFailure')).reason).toBe(
      'WORKFLOW_REFUSED',
    );
  });

  it('not found is 409 WORKFLOW_NOT_RUNNING; anything else 503 WORKFLOW_UNAVAILABLE', () => {
    const gone = mapUpdateError('wf-1', new WorkflowNotFoundError('not found', 'wf-1', undefined));
    expect([gone.code, gone.reason]).toEqual([ErrorCode.Conflict, 'WORKFLOW_NOT_RUNNING']);
    const down = mapUpdateError('wf-1', new Error('14 UNAVAILABLE: No connection established'));
    expect([down.code, down.reason]).toEqual([ErrorCode.Unavailable, 'WORKFLOW_UNAVAILABLE']);
  });
});

import type { ConfigService } from '@nestjs/config';
import type { Client } from '@temporalio/client';
import type { AuditService } from '../../../apps/api/src/audit/audit.service';
import type { AuthUser } from '../../../apps/api/src/auth/roles';
import type { IdempotencyService } from '../../../apps/api/src/idempotency/idempotency.service';
import type { StepContext, StepContextService } from '../../../apps/api/src/submissions/step-context';
import type { SubmissionRepository } from '../../../apps/api/src/submissions/submission.repository';
import { SubmissionReviewService } from '../../../apps/api/src/submissions/submission-review.service';
import type { SubmissionsService } from '../../../apps/api/src/submissions/submissions.service';
import { UnitWorkflowGateway } from '../../../apps/api/src/workflow-gateway/unit-workflow.gateway';
import type { Db } from '../../../libs/persistence/src';
import { DomainError, ErrorCode } from '../../../libs/domain/src';

/**
 * A submit's Update deadline is WORKFLOW_UPDATE_TIMEOUT from the start of the request's work, not from the moment
 * the Update is sent: a request that waited for a pool connection must still answer within the budget (issue 9's
 * 5 s under load). SubmissionReviewService and the real UnitWorkflowGateway, with the database, the repositories
 * and the Temporal client faked at their edge; the real-PostgreSQL and Temporal path is
 * test/integration/submissions/review-loop.e2e.spec.ts.
 */
const T0 = Date.UTC(2027, 2, 1, 2, 0, 0);
const UPDATE_TIMEOUT_MS = 4_000;
/** How long the intent's transaction waits for a connection in this test (a busy pool). */
const POOL_WAIT_MS = 3_000;

const user: AuthUser = {
  id: 'u1',
  email: 's01@xh.example.cn',
  displayName: '书记',
  roles: ['unit_secretary'],
  unitId: 'unit-1',
};
const ctx: StepContext = {
  cycleId: 'cycle-1',
  unitId: 'unit-1',
  workflowId: 'unit-wf-1',
  timeZone: 'Asia/Shanghai',
  step: { key: 'study-research', deliverables: [] } as unknown as StepContext['step'],
};

function sut() {
  const deadlines: number[] = [];
  const temporal = {
    options: { namespace: 'default' },
    withDeadline: <T>(deadline: number, fn: () => Promise<T>) => {
      deadlines.push(deadline);
      return fn();
    },
    workflow: {
      getHandle: () => ({
        executeUpdate: async () => {
          throw new Error('14 UNAVAILABLE: the dev server is busy');
        },
      }),
    },
  } as unknown as Client;
  const config = {
    get: (key: string) => ({ WORKFLOW_UPDATE_TIMEOUT: `${UPDATE_TIMEOUT_MS}ms`, TEMPORAL_TASK_QUEUE: 'q' })[key],
  } as unknown as ConfigService;
  const db = {
    transaction: async <T>(work: () => Promise<T>) => {
      jest.setSystemTime(Date.now() + POOL_WAIT_MS); // the connection came this much later
      return work();
    },
  } as unknown as Db;
  const rows = {
    version: async () => undefined,
    attachments: async () => [],
    insertVersion: async () => undefined,
    setStatus: async () => undefined,
  } as unknown as SubmissionRepository;
  const submissions = {
    lockForWrite: async () => ({
      id: 'sub-1',
      cycle_id: ctx.cycleId,
      unit_id: ctx.unitId,
      step_key: ctx.step.key,
      status: 'draft',
      current_version: 0,
      draft: { deliverables: [] },
    }),
  } as unknown as SubmissionsService;
  const steps = { resolve: async () => ctx, deliverableProblems: () => [] } as unknown as StepContextService;
  const idempotency = { claim: async () => ({ state: 'new' }) } as unknown as IdempotencyService;
  const service = new SubmissionReviewService(
    db,
    rows,
    submissions,
    steps,
    idempotency,
    new UnitWorkflowGateway(temporal, config as never),
    {} as AuditService,
  );
  return { service, deadlines };
}

describe('the Update deadline of a submit', () => {
  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('counts from the start of the request, so a slow pool leaves the Update less time, not the request more', async () => {
    const { service, deadlines } = sut();
    const error = await service.submit('sub-1', { user, ip: null }, 'key-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.Unavailable);
    expect(deadlines).toEqual([T0 + UPDATE_TIMEOUT_MS]); // not T0 + POOL_WAIT_MS + UPDATE_TIMEOUT_MS
  });
});

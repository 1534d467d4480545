import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  ApplicationFailure,
  Client,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { durationMs, type Env } from '../../../../libs/config/src';
import { DomainError, ErrorCode, ErrorReason, STEP_REQUEST_REJECTED, StepRejection } from '../../../../libs/domain/src';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import {
  extendUpdate,
  reviewUpdate,
  submitUpdate,
  unitStatusQuery,
  waiveUpdate,
  type ControlRequest,
  type ExtendRequest,
  type ReviewRequest,
  type StepView,
  type SubmitRequest,
  type UnitWorkflowStatus,
  type WaiveRequest,
} from '../../../../workflows/campaign/messages';
import { CYCLE_WORKFLOW_TYPE, cycleWorkflowId, type CycleWorkflowInput } from '../../../../workflows/campaign/types';

type CycleSignal = Parameters<WorkflowHandle['signal']>[0];

const REJECTIONS = new Set<string>(Object.values(StepRejection));

/**
 * The one road from the api to the campaign workflows. Every Update has an id derived from what it asks (a retried
 * request re-sends the same id and Temporal answers with the first outcome), a deadline (WORKFLOW_UPDATE_TIMEOUT),
 * and one error mapping:
 *
 * | the workflow / Temporal says                       | answer | `code`                                  |
 * |----------------------------------------------------|--------|-----------------------------------------|
 * | validator refused (ApplicationFailure, details[0]) | 409    | STEP_NOT_OPEN, ALREADY_DECIDED, …       |
 * | workflow not found (never started, finished)       | 409    | WORKFLOW_NOT_RUNNING                    |
 * | unreachable, deadline passed, anything else        | 503    | WORKFLOW_UNAVAILABLE (with Retry-After) |
 *
 * The status query and describe have the same deadline; a cycle start and run histories (paged, as long as a
 * history is) take as long as Temporal takes. A workflow that is not there reads as null.
 *
 * Never call it inside a database transaction (docs/RELIABILITY.md): record the intent, call, record the result.
 */
@Injectable()
export class UnitWorkflowGateway {
  private readonly timeoutMs: number;
  private readonly taskQueue: string;

  constructor(
    @InjectTemporalClient() private readonly temporal: Client,
    config: ConfigService<Env, true>,
  ) {
    this.timeoutMs = durationMs(config.get('WORKFLOW_UPDATE_TIMEOUT', { infer: true }));
    this.taskQueue = config.get('TEMPORAL_TASK_QUEUE', { infer: true });
  }

  /**
   * Starts the cycle's coordinator (it starts the unit workflows) under its derived id: one already started is
   * success, and a finished one is never started again by a late retry. A failure is a 503 the caller retries by
   * repeating its request.
   */
  async startCycle(input: CycleWorkflowInput): Promise<void> {
    const { cycleId } = input;
    try {
      await this.temporal.workflow.start(CYCLE_WORKFLOW_TYPE, {
        taskQueue: this.taskQueue,
        workflowId: cycleWorkflowId(cycleId),
        args: [input],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return;
      throw DomainError.unavailable(
        `cycle ${cycleId} is recorded but its workflow could not be started (${(error as Error)?.message ?? String(error)}); repeat the same request to retry — nothing will be duplicated`,
        ErrorReason.WorkflowUnavailable,
      );
    }
  }

  /**
   * The instant WORKFLOW_UPDATE_TIMEOUT ends if counted from now. A request that records its intent before the
   * Update takes it when it begins and passes it on, so the wait for a database connection counts against the same
   * budget and the request answers (503 at worst) within it, however busy the pool was.
   */
  updateDeadline(): number {
    return Date.now() + this.timeoutMs;
  }

  /** The update id is the submission version's id: a retry gets the first answer, never a second submission. */
  submit(workflowId: string, req: SubmitRequest, deadlineMs = this.updateDeadline()): Promise<StepView> {
    return this.update(
      workflowId,
      (h) => h.executeUpdate(submitUpdate, { args: [req], updateId: `submit/${req.submissionId}` }),
      deadlineMs,
    );
  }

  /** The decision is part of the update id: a retry re-sends the same decision; a different one is a new request. */
  review(workflowId: string, req: ReviewRequest, deadlineMs = this.updateDeadline()): Promise<StepView> {
    return this.update(
      workflowId,
      (h) => h.executeUpdate(reviewUpdate, { args: [req], updateId: `review/${req.submissionId}/${req.decision}` }),
      deadlineMs,
    );
  }

  extend(workflowId: string, req: ExtendRequest): Promise<StepView> {
    return this.update(workflowId, (h) =>
      h.executeUpdate(extendUpdate, { args: [req], updateId: `extend/${req.stepKey}/${req.newDueAt}` }),
    );
  }

  /** A step is waived once: the id is the step's. */
  waive(workflowId: string, req: WaiveRequest): Promise<StepView> {
    return this.update(workflowId, (h) =>
      h.executeUpdate(waiveUpdate, { args: [req], updateId: `waive/${req.stepKey}` }),
    );
  }

  /** The unit's state as its workflow sees it (open or closed workflow); null when there is no such workflow. */
  async status(workflowId: string): Promise<UnitWorkflowStatus | null> {
    return this.read(() =>
      this.withDeadline(() => this.temporal.workflow.getHandle(workflowId).query(unitStatusQuery)),
    );
  }

  get namespace(): string {
    return this.temporal.options.namespace;
  }

  async describe(workflowId: string) {
    return this.withDeadline(() => this.temporal.workflow.getHandle(workflowId).describe());
  }

  /** The latest run's id (open or closed); null when there is no such workflow. */
  async latestRunId(workflowId: string): Promise<string | null> {
    return this.read(async () => (await this.temporal.workflow.getHandle(workflowId).describe()).runId);
  }

  /** Every event of one run (the inspection timeline translates them); null when there is no such run. */
  async history(workflowId: string, runId: string): Promise<temporal.api.history.v1.IHistoryEvent[] | null> {
    return this.read(
      async () => (await this.temporal.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [],
    );
  }

  /** A signal to the cycle coordinator, which fans it out to the units. */
  async signalCycle<A extends ControlRequest | ExtendRequest>(
    cycleId: string,
    signal: CycleSignal,
    arg: A,
  ): Promise<void> {
    try {
      await this.withDeadline(() => this.temporal.workflow.getHandle(cycleWorkflowId(cycleId)).signal(signal, arg));
    } catch (error) {
      if (isNotFound(error))
        throw new DomainError(
          ErrorCode.Conflict,
          `cycle ${cycleId}: its workflow is not running`,
          [],
          ErrorReason.WorkflowNotRunning,
        );
      throw unavailable(error);
    }
  }

  /** A read that may find nothing: not found → null, anything else → 503 WORKFLOW_UNAVAILABLE. */
  private async read<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      return await fn();
    } catch (error) {
      if (isNotFound(error)) return null;
      throw unavailable(error);
    }
  }

  private async update(
    workflowId: string,
    send: (h: WorkflowHandle) => Promise<StepView>,
    deadlineMs = this.updateDeadline(),
  ): Promise<StepView> {
    try {
      return await this.withDeadline(() => send(this.temporal.workflow.getHandle(workflowId)), deadlineMs);
    } catch (error) {
      throw mapUpdateError(workflowId, error);
    }
  }

  private withDeadline<T>(fn: () => Promise<T>, deadlineMs = this.updateDeadline()): Promise<T> {
    return this.temporal.withDeadline(deadlineMs, fn);
  }
}

/** The workflow's refusal as a 409 with its reason; not found as 409; everything else 503. */
export function mapUpdateError(workflowId: string, error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  if (error instanceof WorkflowUpdateFailedError) {
    const cause = error.cause;
    const message = cause?.message ?? error.message;
    const reason = rejectionOf(cause);
    return new DomainError(
      ErrorCode.Conflict,
      `the unit's workflow refused: ${message}`,
      [{ field: 'step', problem: message }],
      reason,
    );
  }
  if (isNotFound(error)) {
    return new DomainError(
      ErrorCode.Conflict,
      `the unit's workflow ${workflowId} is not running (cycle not started, finished or cancelled)`,
      [],
      ErrorReason.WorkflowNotRunning,
    );
  }
  return unavailable(error);
}

/** The reason the workflow put in its failure (details[0]); WORKFLOW_REFUSED when it gave none (an older worker). */
export function rejectionOf(cause: unknown): ErrorReason {
  if (cause instanceof ApplicationFailure && cause.type === STEP_REQUEST_REJECTED) {
    const reason = cause.details?.[0];
    if (typeof reason === 'string' && REJECTIONS.has(reason)) return reason as ErrorReason;
  }
  return ErrorReason.WorkflowRefused;
}

const isNotFound = (error: unknown) =>
  error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError';

function unavailable(error: unknown): DomainError {
  return DomainError.unavailable(
    `Temporal is unavailable or did not answer in time: ${(error as Error)?.message ?? String(error)}`,
    ErrorReason.WorkflowUnavailable,
  );
}

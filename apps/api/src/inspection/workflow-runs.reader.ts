import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { InjectTemporalClient } from '../../../../libs/temporal/src';

export interface WorkflowRun {
  runNumber: number;
  runId: string;
  events: temporal.api.history.v1.IHistoryEvent[];
}

/** More runs than this is not a unit workflow gone long, it is a loop: stop and say so rather than read forever. */
const MAX_RUNS = 100;

/**
 * Every run of one workflow id, oldest first: starts at the latest run and follows each run's
 * `continuedExecutionRunId` back to the first (continue-as-new keeps the workflow id, not the run id).
 */
@Injectable()
export class WorkflowRunsReader {
  constructor(@InjectTemporalClient() private readonly temporal: Client) {}

  async allRuns(workflowId: string): Promise<WorkflowRun[]> {
    const runs: Omit<WorkflowRun, 'runNumber'>[] = [];
    try {
      let runId: string | undefined = (await this.temporal.workflow.getHandle(workflowId).describe()).runId;
      while (runId && runs.length < MAX_RUNS) {
        const { events } = await this.temporal.workflow.getHandle(workflowId, runId).fetchHistory();
        runs.unshift({ runId, events: events ?? [] });
        runId = events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      }
    } catch (error) {
      if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') return [];
      throw new DomainError(ErrorCode.Unavailable, `Temporal is unavailable: ${(error as Error).message}`);
    }
    return runs.map((r, i) => ({ ...r, runNumber: i + 1 }));
  }
}

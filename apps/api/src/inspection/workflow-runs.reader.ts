import { Injectable } from '@nestjs/common';
import type { temporal } from '@temporalio/proto';
import { UnitWorkflowGateway } from '../workflow-gateway/unit-workflow.gateway';

export interface WorkflowRun {
  runNumber: number;
  runId: string;
  events: temporal.api.history.v1.IHistoryEvent[];
}

/** More runs than this is not a unit workflow gone long, it is a loop: stop and say so rather than read forever. */
const MAX_RUNS = 100;

/**
 * Every run of one workflow id, oldest first: starts at the latest run and follows each run's
 * `continuedExecutionRunId` back to the first (continue-as-new keeps the workflow id, not the run id). Through the
 * gateway (deadline, error mapping): no workflow (or a run gone meanwhile) reads as no runs.
 */
@Injectable()
export class WorkflowRunsReader {
  constructor(private readonly gateway: UnitWorkflowGateway) {}

  async allRuns(workflowId: string): Promise<WorkflowRun[]> {
    const runs: Omit<WorkflowRun, 'runNumber'>[] = [];
    let runId: string | undefined = (await this.gateway.latestRunId(workflowId)) ?? undefined;
    while (runId && runs.length < MAX_RUNS) {
      const events = await this.gateway.history(workflowId, runId);
      if (!events) return [];
      runs.unshift({ runId, events });
      runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
    }
    return runs.map((r, i) => ({ ...r, runNumber: i + 1 }));
  }
}

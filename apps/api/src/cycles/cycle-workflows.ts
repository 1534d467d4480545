import type { CycleWorkflowInput } from '../../../../workflows/campaign/types';

/**
 * Start batches of ~200 units with at most 5 batches in flight: 5,000 units need 25 activity calls, 100,000 need
 * 500 (the coordinator continues-as-new between runs), and the worker is never flooded.
 */
export function cycleWorkflowInput(cycleId: string, unitCount: number): CycleWorkflowInput {
  return { cycleId, unitCount, batchSize: 200, window: 5 };
}

import { proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { DiagnosticsActivities } from '../../activities/diagnostics/diagnostics.activities';

export interface RoundTripInput {
  id: string;
  message: string;
  /** ISO-8601 duration-free milliseconds: kept numeric so the workflow needs no parser. */
  delayMs: number;
}

const { recordRoundTrip } = proxyActivities<Pick<DiagnosticsActivities, 'recordRoundTrip'>>({
  startToCloseTimeout: '30s',
  retry: { maximumAttempts: 10 },
});

/** The first vertical slice: a durable timer, then an activity that writes a row to PostgreSQL. */
export async function roundTripWorkflow(input: RoundTripInput): Promise<{ firedAt: string }> {
  await sleep(input.delayMs);
  const firedAt = new Date().toISOString();
  await recordRoundTrip({ id: input.id, message: input.message, workflowId: workflowInfo().workflowId, firedAt });
  return { firedAt };
}

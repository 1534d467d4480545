import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporalTestServerBin } from './paths';

/** Temporal's time-skipping test server, from the binary `npm test` installed (never downloaded at run time). */
export function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerBin } },
  });
}

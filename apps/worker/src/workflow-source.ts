import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';

/**
 * The worker prefers the bundle made by `npm run build` (dist/workflow-bundle.js, saves ~5 s per start);
 * without it (e.g. under ts-node or Jest) Temporal bundles the workflows folder itself.
 */
export function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const prebuilt = join(__dirname, '..', '..', '..', 'workflow-bundle.js');
  if (existsSync(prebuilt)) return { workflowBundle: { codePath: prebuilt } };
  return { workflowsPath: require.resolve('../../../workflows') };
}

import type { ConfigService } from '@nestjs/config';
import type { WorkerOptions } from '@temporalio/worker';
import { durationMs, type Env } from '../../../libs/config/src';

/**
 * The main task queue worker's slots, cache and sticky-queue timeout from the WORKER_* variables: one place, so the
 * app's worker and the benchmark's worker (bench/lib/stack.ts) run with the same settings.
 */
export function workerTuning(config: ConfigService<Env, true>): Partial<WorkerOptions> {
  const cached = config.get('WORKER_MAX_CACHED_WORKFLOWS', { infer: true });
  return {
    maxConcurrentActivityTaskExecutions: config.get('WORKER_MAX_CONCURRENT_ACTIVITIES', { infer: true }),
    maxConcurrentLocalActivityExecutions: config.get('WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES', { infer: true }),
    maxConcurrentWorkflowTaskExecutions: config.get('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS', { infer: true }),
    stickyQueueScheduleToStartTimeout: durationMs(config.get('WORKER_STICKY_QUEUE_TIMEOUT', { infer: true })),
    ...(cached === undefined ? {} : { maxCachedWorkflows: cached }),
  };
}

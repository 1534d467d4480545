import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Options for the deliverNotice activity, for every workflow that runs it (the unit workflow, the retry workflow).
 * Retries back off exponentially (30 s, 1 min, 2 min … capped at 1 h) without an attempt limit: the activity itself
 * decides when a delivery is dead (permanent error, or NOTICE_MAX_ATTEMPTS transient failures) and then throws the
 * non-retryable NoticeDeliveryDead. Quiet hours use the activity's own next-retry delay.
 */
export function deliverNoticeActivityOptions(taskQueue: string, startToCloseTimeoutMs = 120_000): ActivityOptions {
  return {
    taskQueue,
    startToCloseTimeout: startToCloseTimeoutMs,
    retry: {
      initialInterval: '30 seconds',
      backoffCoefficient: 2,
      maximumInterval: '1 hour',
      nonRetryableErrorTypes: ['NoticeDeliveryDead'],
    },
  };
}

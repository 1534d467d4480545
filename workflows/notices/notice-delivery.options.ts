import type { ActivityOptions } from '@temporalio/workflow';
import { DELIVERY_RETRY } from '../../libs/domain/src/notices/retry-backoff';

/**
 * Options for the deliverNotice activity: the admins' noticeDeliveryWorkflow of old, and unit workflow runs recorded
 * before the outbox dispatcher sent notices (they replay their recorded deliveries). Retries back off exponentially
 * (libs/domain/src/notices/retry-backoff.ts: 30 s, 1 min, 2 min … capped at 1 h) without an attempt limit: the
 * activity itself decides when a delivery is dead (permanent error, or NOTICE_MAX_ATTEMPTS transient failures) and
 * then throws the non-retryable NoticeDeliveryDead. Quiet hours use the activity's own next-retry delay.
 */
export function deliverNoticeActivityOptions(taskQueue: string, startToCloseTimeoutMs = 120_000): ActivityOptions {
  return {
    taskQueue,
    startToCloseTimeout: startToCloseTimeoutMs,
    retry: {
      initialInterval: DELIVERY_RETRY.initialMs,
      backoffCoefficient: DELIVERY_RETRY.coefficient,
      maximumInterval: DELIVERY_RETRY.maximumMs,
      nonRetryableErrorTypes: ['NoticeDeliveryDead'],
    },
  };
}

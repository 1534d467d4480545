import { ActivityFailure, proxyActivities, workflowInfo } from '@temporalio/workflow';
import type {
  DeliverNoticeResult,
  NoticeChannel,
  NoticeDeliveryActivities,
} from '../../activities/notices/notice-delivery.contract';
import { noticeTaskQueue } from '../../libs/domain/src/notices/channels';
import { deliverNoticeActivityOptions } from './notice-delivery.options';

export interface NoticeDeliveryWorkflowInput {
  deliveryId: string;
  channel: NoticeChannel;
  /** Shorter in tests that kill the worker mid-attempt (the retry starts when this timeout expires). */
  startToCloseTimeoutMs?: number;
  /** First retry delay (default 30 s); shorter in tests. */
  retryInitialIntervalMs?: number;
}

/**
 * Runs one delivery on its channel's task queue to its end: sent, muted, or dead (dead-letter list). Used by the
 * admin "retry dead letter" endpoint, and usable by the unit workflow as an abandoned child
 * (`startChild(..., { parentClosePolicy: ParentClosePolicy.ABANDON })`) so a failing notice never stalls it.
 * It never fails: a dead delivery is a result, recorded in PostgreSQL with its error.
 */
export async function noticeDeliveryWorkflow(input: NoticeDeliveryWorkflowInput): Promise<DeliverNoticeResult> {
  const queue = noticeTaskQueue(workflowInfo().taskQueue, input.channel);
  const options = deliverNoticeActivityOptions(queue, input.startToCloseTimeoutMs);
  if (input.retryInitialIntervalMs) options.retry = { ...options.retry, initialInterval: input.retryInitialIntervalMs };
  const { deliverNotice } = proxyActivities<NoticeDeliveryActivities>(options);
  try {
    return await deliverNotice({ deliveryId: input.deliveryId, channel: input.channel });
  } catch (error) {
    if (error instanceof ActivityFailure) return { status: 'dead' };
    throw error;
  }
}

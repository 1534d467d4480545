/**
 * Contract between the unit workflow (which decides WHEN a notice is due) and notice delivery (HOW it reaches
 * people). The workflow imports these types only; the implementation lives beside this file.
 */

export type NoticeChannel = 'email' | 'wecom' | 'dingtalk' | 'webhook' | 'inbox';

export const NOTICE_CHANNELS: readonly NoticeChannel[] = ['email', 'wecom', 'dingtalk', 'webhook', 'inbox'];

/** Each channel has its own task queue so that its rate limit (Temporal task-queue rate limit) is its own. */
export const noticeTaskQueue = (baseTaskQueue: string, channel: NoticeChannel) => `${baseTaskQueue}-notices-${channel}`;

export interface PlannedDelivery {
  deliveryId: string;
  channel: NoticeChannel;
}

export interface DeliverNoticeResult {
  status: 'sent' | 'already-sent' | 'muted' | 'dead';
}

export interface NoticeDeliveryActivities {
  /** Idempotent: a delivery already marked sent in PostgreSQL is never sent again. */
  deliverNotice(input: PlannedDelivery): Promise<DeliverNoticeResult>;
}

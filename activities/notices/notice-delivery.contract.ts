/**
 * Contract between the unit workflow (which decides WHEN a notice is due) and notice delivery (HOW it reaches
 * people). The workflow imports these types only; the implementation lives beside this file.
 */

import type { NoticeChannel } from '../../libs/domain/src/notices/channels';

export { NOTICE_CHANNELS, noticeTaskQueue, type NoticeChannel } from '../../libs/domain/src/notices/channels';

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

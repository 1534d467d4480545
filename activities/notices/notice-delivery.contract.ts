/**
 * Contract between the unit workflow (which decides WHEN a notice is due) and notice delivery (HOW it reaches
 * people). The workflow imports these types only; the implementation lives beside this file.
 */

import type { DeliverNoticeResult, PlannedDelivery } from '../../libs/domain/src/notices/delivery';

export { NOTICE_CHANNELS, noticeTaskQueue, type NoticeChannel } from '../../libs/domain/src/notices/channels';
export type { DeliverNoticeResult, PlannedDelivery } from '../../libs/domain/src/notices/delivery';

export interface NoticeDeliveryActivities {
  /** Idempotent: a delivery already marked sent in PostgreSQL is never sent again. */
  deliverNotice(input: PlannedDelivery): Promise<DeliverNoticeResult>;
}

import type { NoticeChannel } from './channels';

/** One planned delivery of a notice: what the outbox dispatcher (or a recorded run's deliverNotice) sends. */
export interface PlannedDelivery {
  deliveryId: string;
  channel: NoticeChannel;
}

export interface DeliverNoticeResult {
  status: 'sent' | 'already-sent' | 'muted' | 'dead';
}

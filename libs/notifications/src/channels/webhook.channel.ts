import type { ChannelSender, OutgoingMessage } from '../message';
import type { OutboundGuard } from '../outbound-guard';
import { postJson } from './http-post';

/**
 * Generic JSON webhook for an institution's own systems. `Idempotency-Key` (= the Message-ID) lets the receiver
 * drop a resend that follows a crash between its 2xx and our commit.
 */
export function webhookBody(message: OutgoingMessage) {
  return {
    type: 'campaign.notice',
    deliveryId: message.deliveryId,
    messageId: message.messageId,
    locale: message.locale,
    subject: message.subject,
    body: message.body,
    link: message.link,
    notice: message.notice,
  };
}

export class WebhookChannel implements ChannelSender {
  constructor(private readonly guard?: OutboundGuard) {}

  async send(message: OutgoingMessage): Promise<void> {
    await postJson(message.address, webhookBody(message), {
      headers: { 'idempotency-key': message.messageId },
      guard: this.guard,
    });
  }
}

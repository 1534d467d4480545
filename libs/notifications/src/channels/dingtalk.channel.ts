import { createHmac } from 'node:crypto';
import type { ChannelSender, OutgoingMessage } from '../message';
import { DeliveryError } from '../message';
import type { OutboundGuard } from '../outbound-guard';
import { postJson, redactUrl } from './http-post';

/** DingTalk custom robot: 130101 = sending too fast (retry later); other non-zero errcodes (bad sign, keyword) are permanent. */
const DINGTALK_RETRYABLE = new Set([130101, -1]);

/**
 * Signed-secret mode of a DingTalk custom robot: sign = urlencode(base64(HMAC-SHA256(key = secret,
 * "timestamp\nsecret"))), timestamp in milliseconds, both appended to the webhook URL.
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  const digest = createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
  return encodeURIComponent(digest);
}

export function dingtalkSignedUrl(webhook: string, secret: string | undefined, timestampMs: number): string {
  if (!secret) return webhook;
  const sep = webhook.includes('?') ? '&' : '?';
  return `${webhook}${sep}timestamp=${timestampMs}&sign=${dingtalkSign(secret, timestampMs)}`;
}

/** DingTalk custom-robot markdown message (title shows in the chat list, text is the markdown body). */
export function dingtalkBody(message: Pick<OutgoingMessage, 'subject' | 'body'>) {
  return {
    msgtype: 'markdown',
    markdown: { title: message.subject, text: `#### ${message.subject}\n\n${message.body}` },
  };
}

export class DingtalkChannel implements ChannelSender {
  constructor(
    private readonly now: () => number = Date.now,
    private readonly guard?: OutboundGuard,
  ) {}

  async send(message: OutgoingMessage): Promise<void> {
    // The timestamp must be within an hour of DingTalk's clock, so it is taken per attempt (not stored).
    const url = dingtalkSignedUrl(message.address, message.recipient.dingtalkSecret, this.now());
    const reply = (await postJson(url, dingtalkBody(message), { guard: this.guard })) as
      { errcode?: number } | undefined;
    if (reply && typeof reply.errcode === 'number' && reply.errcode !== 0) {
      // the code only: the reply's text is the receiver's to choose and is never echoed
      throw new DeliveryError(
        `DingTalk robot ${redactUrl(message.address)} answered errcode ${reply.errcode}`,
        !DINGTALK_RETRYABLE.has(reply.errcode),
      );
    }
  }
}

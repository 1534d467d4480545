import type { ChannelSender, OutgoingMessage } from '../message';
import { DeliveryError } from '../message';
import type { OutboundGuard } from '../outbound-guard';
import { postJson, redactUrl } from './http-post';

/** WeCom (企业微信) group robot: errcode 45009 is "too many requests" (retry later); any other non-zero is permanent. */
const WECOM_RETRYABLE = new Set([45009, -1]);

/**
 * WeCom group-robot message (https://developer.work.weixin.qq.com/document/path/91770): markdown, content up to
 * 4096 bytes. The subject becomes the bold first line.
 */
export function wecomBody(message: Pick<OutgoingMessage, 'subject' | 'body'>) {
  return {
    msgtype: 'markdown',
    markdown: { content: truncateBytes(`**${message.subject}**\n\n${message.body}`, 4096) },
  };
}

export class WecomChannel implements ChannelSender {
  constructor(private readonly guard?: OutboundGuard) {}

  async send(message: OutgoingMessage): Promise<void> {
    const reply = (await postJson(message.address, wecomBody(message), { guard: this.guard })) as
      { errcode?: number } | undefined;
    if (reply && typeof reply.errcode === 'number' && reply.errcode !== 0) {
      // the code only: the reply's text is the receiver's to choose and is never echoed
      throw new DeliveryError(
        `WeCom robot ${redactUrl(message.address)} answered errcode ${reply.errcode}`,
        !WECOM_RETRYABLE.has(reply.errcode),
      );
    }
  }
}

export function truncateBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = text;
  while (Buffer.byteLength(out + '…') > maxBytes) out = out.slice(0, -1);
  return out + '…';
}

import type { ConfigService } from '@nestjs/config';
import type { Env } from '../../libs/config/src/env.schema';
import { DingtalkChannel } from '../../libs/notifications/src/channels/dingtalk.channel';
import { EmailChannel } from '../../libs/notifications/src/channels/email.channel';
import { WebhookChannel } from '../../libs/notifications/src/channels/webhook.channel';
import { WecomChannel } from '../../libs/notifications/src/channels/wecom.channel';
import { DeliveryError, type ChannelSender } from '../../libs/notifications/src/message';
import { OutboundGuard } from '../../libs/notifications/src/outbound-guard';
import type { NoticeChannel } from './notice-delivery.contract';

/** The senders of the external channels, built once per worker from configuration (inbox is a database write). */
export class NoticeChannels {
  private email?: EmailChannel;
  private readonly wecom: WecomChannel;
  private readonly dingtalk: DingtalkChannel;
  private readonly webhook: WebhookChannel;

  constructor(private readonly config: ConfigService<Env, true>) {
    // every HTTP channel posts through the outbound guard: public addresses only, unless OUTBOUND_ALLOW_HOSTS says so
    const guard = new OutboundGuard(config.get('OUTBOUND_ALLOW_HOSTS', { infer: true }));
    this.wecom = new WecomChannel(guard);
    this.dingtalk = new DingtalkChannel(Date.now, guard);
    this.webhook = new WebhookChannel(guard);
  }

  sender(channel: Exclude<NoticeChannel, 'inbox'>): ChannelSender {
    switch (channel) {
      case 'email':
        return this.emailChannel();
      case 'wecom':
        return this.wecom;
      case 'dingtalk':
        return this.dingtalk;
      case 'webhook':
        return this.webhook;
    }
  }

  private emailChannel(): ChannelSender {
    const host = this.config.get('SMTP_HOST', { infer: true });
    if (!host) return { send: async () => Promise.reject(new DeliveryError('SMTP_HOST is not set', true)) };
    this.email ??= new EmailChannel({
      host,
      port: this.config.get('SMTP_PORT', { infer: true }),
      secure: this.config.get('SMTP_SECURE', { infer: true }),
      user: this.config.get('SMTP_USER', { infer: true }),
      password: this.config.get('SMTP_PASSWORD', { infer: true }),
      from: this.config.get('MAIL_FROM', { infer: true }),
      maxConnections: this.config.get('SMTP_MAX_CONNECTIONS', { infer: true }),
    });
    return this.email;
  }

  close(): void {
    this.email?.close();
  }
}

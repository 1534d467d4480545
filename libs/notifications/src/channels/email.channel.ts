import nodemailer, { type Transporter } from 'nodemailer';
import type { ChannelSender, OutgoingMessage } from '../message';
import { DeliveryError } from '../message';

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  /** Pooled connections kept open and reused (nodemailer pool); 1 = one at a time. */
  maxConnections?: number;
}

/**
 * E-mail over SMTP. The Message-ID is the delivery's (derived from its dedupe key), never nodemailer's random one:
 * that is what lets a receiver drop the duplicate of a resend.
 */
export class EmailChannel implements ChannelSender {
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    // A pool: a burst of notices reuses a few open connections instead of a TCP + SMTP handshake per message.
    this.transport = nodemailer.createTransport({
      pool: true,
      maxConnections: settings.maxConnections ?? 4,
      maxMessages: 1000,
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
  }

  async send(message: OutgoingMessage): Promise<void> {
    try {
      await this.transport.sendMail({
        from: this.settings.from,
        to: message.recipient.name ? { name: message.recipient.name, address: message.address } : message.address,
        subject: message.subject,
        text: message.body,
        // base64 keeps Chinese text intact through any relay (and is trivial for tests and receivers to decode).
        textEncoding: 'base64',
        messageId: message.messageId,
        headers: { 'X-Campaign-Delivery': message.deliveryId, 'Content-Language': message.locale },
      });
    } catch (error) {
      throw classifySmtpError(error);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** 5xx replies (550 no such mailbox, 553 bad address) are permanent; 4xx and connection problems are transient. */
export function classifySmtpError(error: unknown): DeliveryError {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string };
  const permanent =
    (typeof e.responseCode === 'number' && e.responseCode >= 500) || (e.code === 'EENVELOPE' && !e.responseCode);
  const detail = e.response ?? e.message ?? String(error);
  return new DeliveryError(`SMTP ${e.responseCode ?? e.code ?? 'error'}: ${detail}`, permanent);
}

import type { UnitContact } from '../../persistence/src/entities/unit.entity';

export type NoticeLocale = 'zh-CN' | 'en';

/** What a channel needs to send one delivery; the same value on every attempt of the same delivery. */
export interface OutgoingMessage {
  deliveryId: string;
  dedupeKey: string;
  /** `<sha256-prefix@campaigns.local>`: derived from dedupeKey, so a resend carries the same id. */
  messageId: string;
  locale: NoticeLocale;
  subject: string;
  /** Markdown-flavoured plain text (fine as e-mail text, WeCom/DingTalk markdown and inbox text). */
  body: string;
  link: string;
  /** e-mail address or webhook URL. */
  address: string;
  recipient: UnitContact;
  notice: {
    kind: string;
    audience: string;
    cycleId: string;
    unitCode: string;
    stepKey: string;
    occurrence: number;
    rung: number | null;
    dueAt: string;
    /** When the notice was due to go out (workflow time), e.g. due date − 7 days for the first reminder. */
    scheduledFor: string;
  };
}

/**
 * A failed send. `permanent` failures (SMTP 5xx, HTTP 4xx, a robot's "invalid key") go to the dead-letter list at
 * once; transient ones (connection refused, 4xx SMTP, HTTP 5xx/429) are retried with backoff.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface ChannelSender {
  send(message: OutgoingMessage): Promise<void>;
}

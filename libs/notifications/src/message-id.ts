import { createHash } from 'node:crypto';

/**
 * Message-ID of an e-mail delivery, derived from its dedupe key only: every attempt of the same delivery (also a
 * resend after a crash between SMTP's 250 and our commit) carries the same id, which mail systems dedupe on.
 */
export function messageIdFor(dedupeKey: string): string {
  return `<${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}@campaigns.local>`;
}

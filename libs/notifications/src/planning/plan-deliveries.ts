import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { messageIdFor } from '../message-id';
import {
  NoticeDeliveryRepository,
  type PlannedDeliveryRow,
} from '../../../persistence/src/repositories/notice-delivery.repository';
import { NoticeRepository, type NoticeRow } from '../../../persistence/src/repositories/notice.repository';
import type { PlannedDelivery } from '../../../domain/src/notices/delivery';
import { resolveAudience } from './notice-recipients';
import { defaultSendWindow, type QuietHours, type SendWindow } from './send-window';

export interface PlanDeliveriesOptions {
  /** NOTICE_OFFICE_EMAILS: extra office addresses for office notices. */
  officeEmails?: string[];
  sendWindow?: SendWindow;
}

/**
 * Creates the outbox rows of one notice — one per (recipient, channel) — and returns the deliveries still to send.
 * Call it inside the transaction that inserted the `notice` row (recordNotice), so a notice never exists without
 * its deliveries. Idempotent: a second call (a retried recordNotice) inserts nothing and returns the same list.
 * The channels' outbox dispatchers are notified (pg_notify, delivered at COMMIT) and send the rows.
 *
 * - A contact with `muteReminders` gets its reminder rows as `muted` (kept for the record, never sent). Due notices
 *   and escalations are critical and bypass preferences.
 * - A notice that reaches no one on its audience (no office unit and no NOTICE_OFFICE_EMAILS) gets a `none` row,
 *   dead from the start with the reason, so the office sees it in the dead-letter list and the unit's timeline.
 * - Quiet hours of the template (calendar.quietHours): `not_before` (and the first `next_attempt_at`) is the next
 *   sendable instant in the unit's zone (inbox messages are silent and not delayed).
 */
export async function planNoticeDeliveries(
  manager: EntityManager,
  noticeId: string,
  options: PlanDeliveriesOptions = {},
): Promise<PlannedDelivery[]> {
  const notices = NoticeRepository.on(manager);
  const outbox = NoticeDeliveryRepository.on(manager);
  const notice = await notices.find(noticeId);
  if (!notice) throw new Error(`notice ${noticeId} does not exist`);
  const critical = notice.kind !== 'reminder';
  const { recipients, problem } = await resolveAudience(
    manager,
    notice.unit_id,
    notice.audience,
    options.officeEmails ?? [],
  );
  const { quietHours, closures, timeZone } = await sendingRules(notices, notice);

  const rows: PlannedDeliveryRow[] = recipients.map((r) => {
    const dedupeKey = `${notice.dedupe_key}|${r.channel}|${r.address}`;
    const muted = !critical && r.channel !== 'inbox' && r.contact.muteReminders === true;
    let notBefore: Date | null = null;
    if (quietHours && r.channel !== 'inbox') {
      const next = (options.sendWindow ?? defaultSendWindow).nextSendableInstant(
        new Date(notice.scheduled_for),
        timeZone,
        quietHours,
        closures,
      );
      if (next.getTime() > new Date(notice.scheduled_for).getTime()) notBefore = next;
    }
    return {
      id: randomUUID(),
      dedupeKey,
      noticeId: notice.id,
      channel: r.channel,
      recipientUnitId: r.recipientUnitId,
      recipientName: r.contact.name ?? '',
      address: r.address,
      recipient: r.contact,
      locale: r.contact.locale === 'en' ? 'en' : 'zh-CN',
      critical,
      messageId: messageIdFor(dedupeKey),
      status: muted ? 'muted' : 'pending',
      notBefore,
    };
  });
  if (problem) {
    // Dead from the start, with its reason: the dead-letter list and the unit's timeline show it to the office.
    const dedupeKey = `${notice.dedupe_key}|none|${notice.audience}`;
    await outbox.insertNoRecipient({
      id: randomUUID(),
      dedupeKey,
      noticeId: notice.id,
      address: notice.audience,
      critical,
      messageId: messageIdFor(dedupeKey),
      problem,
    });
  }
  await outbox.insertPlanned(rows);
  const planned = await outbox.pendingOfNotice(notice.id);
  await outbox.notify(planned.map((p) => p.channel));
  return planned.map((p) => ({ deliveryId: p.id, channel: p.channel }));
}

/** Quiet hours and office closures from the resolved plan (else the cycle's template document), and the unit's zone. */
async function sendingRules(
  notices: NoticeRepository,
  notice: NoticeRow,
): Promise<{ quietHours?: QuietHours; closures?: string[]; timeZone: string }> {
  const row = notice.cycle_id ? await notices.sendingRules(notice.cycle_id, notice.unit_id) : undefined;
  if (!row) return { timeZone: 'Asia/Shanghai' };
  const quietHours = row.plan?.quietHours ?? row.document?.calendar?.quietHours;
  return {
    quietHours: quietHours ?? undefined,
    closures: row.plan?.closures,
    timeZone: row.unit_zone ?? row.plan?.timeZone ?? row.cycle_zone ?? 'Asia/Shanghai',
  };
}

/** NOTICE_OFFICE_EMAILS as a list. */
export function officeEmailsOf(config: { get(key: 'NOTICE_OFFICE_EMAILS', opts: { infer: true }): string }): string[] {
  return config
    .get('NOTICE_OFFICE_EMAILS', { infer: true })
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

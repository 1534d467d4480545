import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { messageIdFor } from '../../libs/notifications/src/message-id';
import type { PlannedDelivery } from './notice-delivery.contract';
import { resolveAudience, type Audience } from './notice-recipients';
import { defaultSendWindow, type QuietHours, type SendWindow } from './send-window';

export interface PlanDeliveriesOptions {
  /** NOTICE_OFFICE_EMAILS: extra office addresses for office notices. */
  officeEmails?: string[];
  sendWindow?: SendWindow;
}

interface NoticeRecord {
  id: string;
  dedupe_key: string;
  cycle_id: string;
  unit_id: string;
  kind: 'reminder' | 'due' | 'escalation';
  audience: Audience;
  scheduled_for: Date;
}

/**
 * Creates the outbox rows of one notice — one per (recipient, channel) — and returns the deliveries still to send.
 * Call it inside the transaction that inserted the `notice` row (recordNotice), so a notice never exists without
 * its deliveries. Idempotent: a second call (a retried recordNotice) inserts nothing and returns the same list.
 *
 * - A contact with `muteReminders` gets its reminder rows as `muted` (kept for the record, never sent). Due notices
 *   and escalations are critical and bypass preferences.
 * - A notice that reaches no one on its audience (no office unit and no NOTICE_OFFICE_EMAILS) gets a `none` row,
 *   dead from the start with the reason, so the office sees it in the dead-letter list and the unit's timeline.
 * - Quiet hours of the template (calendar.quietHours): `not_before` is the next sendable instant in the unit's zone;
 *   deliverNotice waits until then (inbox messages are silent and not delayed).
 */
export async function planNoticeDeliveries(manager: EntityManager, noticeId: string, options: PlanDeliveriesOptions = {}): Promise<PlannedDelivery[]> {
  const [notice] = await manager.query<NoticeRecord[]>(`SELECT * FROM notice WHERE id = $1`, [noticeId]);
  if (!notice) throw new Error(`notice ${noticeId} does not exist`);
  const critical = notice.kind !== 'reminder';
  const { recipients, problem } = await resolveAudience(manager, notice.unit_id, notice.audience, options.officeEmails ?? []);
  const { quietHours, closures, timeZone } = await sendingRules(manager, notice);

  const rows: unknown[][] = [];
  for (const r of recipients) {
    const dedupeKey = `${notice.dedupe_key}|${r.channel}|${r.address}`;
    const muted = !critical && r.channel !== 'inbox' && r.contact.muteReminders === true;
    let notBefore: Date | null = null;
    if (quietHours && r.channel !== 'inbox') {
      const next = (options.sendWindow ?? defaultSendWindow).nextSendableInstant(new Date(notice.scheduled_for), timeZone, quietHours, closures);
      if (next.getTime() > new Date(notice.scheduled_for).getTime()) notBefore = next;
    }
    rows.push([
      randomUUID(), dedupeKey, notice.id, r.channel, r.recipientUnitId, r.contact.name ?? '', r.address, JSON.stringify(r.contact),
      r.contact.locale === 'en' ? 'en' : 'zh-CN', critical, messageIdFor(dedupeKey), muted ? 'muted' : 'pending', notBefore,
    ]);
  }
  if (problem) {
    // Dead from the start, with its reason: the dead-letter list and the unit's timeline show it to the office.
    const dedupeKey = `${notice.dedupe_key}|none|${notice.audience}`;
    await manager.query(
      `INSERT INTO notice_delivery (id, dedupe_key, notice_id, channel, recipient_unit_id, recipient_name, address, recipient, locale,
         critical, message_id, status, last_error, dead_at)
       VALUES ($1, $2, $3, 'none', NULL, '', $4, '{}', 'zh-CN', $5, $6, 'dead', $7, now()) ON CONFLICT (dedupe_key) DO NOTHING`,
      [randomUUID(), dedupeKey, notice.id, notice.audience, critical, messageIdFor(dedupeKey), problem],
    );
  }
  for (const row of rows) {
    await manager.query(
      `INSERT INTO notice_delivery (id, dedupe_key, notice_id, channel, recipient_unit_id, recipient_name, address, recipient, locale,
         critical, message_id, status, not_before)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (dedupe_key) DO NOTHING`,
      row,
    );
  }
  const planned = await manager.query<{ id: string; channel: PlannedDelivery['channel'] }[]>(
    `SELECT id, channel FROM notice_delivery WHERE notice_id = $1 AND status = 'pending' ORDER BY channel, address`,
    [notice.id],
  );
  return planned.map((p) => ({ deliveryId: p.id, channel: p.channel }));
}

/** Quiet hours and office closures from the resolved plan (else the cycle's template document), and the unit's zone. */
async function sendingRules(manager: EntityManager, notice: NoticeRecord): Promise<{ quietHours?: QuietHours; closures?: string[]; timeZone: string }> {
  const [row] = await manager.query<{ plan: any; document: any; cycle_zone: string; unit_zone: string | null }[]>(
    `SELECT cp.plan, t.document, c.time_zone AS cycle_zone, u.time_zone AS unit_zone
       FROM campaign_cycle c
       JOIN campaign_template t ON t.id = c.template_id
       JOIN unit u ON u.id = $2
       LEFT JOIN cycle_unit cu ON cu.cycle_id = c.id AND cu.unit_id = u.id
       LEFT JOIN cycle_plan cp ON cp.cycle_id = c.id AND cp.unit_kind = cu.unit_kind
      WHERE c.id = $1`,
    [notice.cycle_id, notice.unit_id],
  );
  if (!row) return { timeZone: 'Asia/Shanghai' };
  const quietHours = row.plan?.quietHours ?? row.document?.calendar?.quietHours;
  return { quietHours: quietHours ?? undefined, closures: row.plan?.closures, timeZone: row.unit_zone ?? row.plan?.timeZone ?? row.cycle_zone ?? 'Asia/Shanghai' };
}

/** NOTICE_OFFICE_EMAILS as a list. */
export function officeEmailsOf(config: { get(key: 'NOTICE_OFFICE_EMAILS', opts: { infer: true }): string }): string[] {
  return config
    .get('NOTICE_OFFICE_EMAILS', { infer: true })
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

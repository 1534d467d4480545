import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { messageIdFor } from '../../libs/notifications/src/message-id';
import type { PlannedDelivery } from './notice-delivery.contract';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface EvaluationReminderInput {
  evaluationId: string;
  unitId: string;
  /** One reminder round (derived from the request's Idempotency-Key): the notice's dedupe key. */
  round: string;
  /** The evaluation's closing instant: the notice's due instant. */
  closesAt: Date;
  cycleId: string | null;
}

/**
 * Records one evaluation reminder for a unit as a notice with its outbox rows, in the caller's transaction — the
 * same tables, exactly-once delivery and dead-letter handling as deadline notices. Recipients: every unused token's
 * recipient that is an e-mail address (channel email), and the unit's inbox (which also covers anonymous tokens
 * issued without a recipient). Idempotent per round: a second call inserts nothing and returns the same list.
 */
export async function planEvaluationReminder(manager: EntityManager, input: EvaluationReminderInput): Promise<PlannedDelivery[]> {
  const dedupe = `evaluation-reminder:${input.evaluationId}:${input.unitId}:${input.round}`;
  const [occurrence] = await manager.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM notice WHERE evaluation_id = $1 AND unit_id = $2`, [input.evaluationId, input.unitId]);
  await manager.query(
    `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at, evaluation_id)
     VALUES ($1, $2, $3, $4, 'evaluation_reminder', $5, NULL, 'unit', now(), $6, $7) ON CONFLICT (dedupe_key) DO NOTHING`,
    [dedupe, input.cycleId, input.unitId, `evaluation:${input.evaluationId}`, occurrence.n, input.closesAt, input.evaluationId],
  );
  const [notice] = await manager.query<{ id: string }[]>(`SELECT id FROM notice WHERE dedupe_key = $1`, [dedupe]);
  const [unit] = await manager.query<{ name: string; secretary_name: string | null }[]>(`SELECT name, secretary_name FROM unit WHERE id = $1`, [input.unitId]);
  const tokens = await manager.query<{ recipient: string }[]>(
    `SELECT DISTINCT lower(recipient) AS recipient FROM evaluation_token WHERE evaluation_id = $1 AND unit_id = $2 AND NOT used AND recipient IS NOT NULL ORDER BY 1`,
    [input.evaluationId, input.unitId],
  );
  const recipients = [
    { channel: 'inbox', address: `unit:${input.unitId}`, name: unit.secretary_name ?? unit.name },
    ...tokens.filter((t) => EMAIL.test(t.recipient)).map((t) => ({ channel: 'email', address: t.recipient, name: '' })),
  ];
  for (const r of recipients) {
    const key = `${dedupe}|${r.channel}|${r.address}`;
    await manager.query(
      `INSERT INTO notice_delivery (id, dedupe_key, notice_id, channel, recipient_unit_id, recipient_name, address, recipient, locale, critical, message_id, status)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'zh-CN', false, $9, 'pending') ON CONFLICT (dedupe_key) DO NOTHING`,
      [randomUUID(), key, notice.id, r.channel, input.unitId, r.name, r.address, JSON.stringify({ name: r.name || undefined, email: r.channel === 'email' ? r.address : undefined }), messageIdFor(key)],
    );
  }
  return pendingDeliveries(manager, notice.id);
}

export async function pendingDeliveries(manager: EntityManager, noticeId: string): Promise<PlannedDelivery[]> {
  const rows = await manager.query<{ id: string; channel: PlannedDelivery['channel'] }[]>(
    `SELECT id, channel FROM notice_delivery WHERE notice_id = $1 AND status = 'pending' ORDER BY channel, address`,
    [noticeId],
  );
  return rows.map((p) => ({ deliveryId: p.id, channel: p.channel }));
}

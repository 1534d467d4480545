import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { messageIdFor } from '../message-id';
import { NoticeAudienceRepository } from '../../../persistence/src/repositories/notice-audience.repository';
import {
  NoticeDeliveryRepository,
  type PlannedDeliveryRow,
} from '../../../persistence/src/repositories/notice-delivery.repository';
import { NoticeRepository } from '../../../persistence/src/repositories/notice.repository';
import type { PlannedDelivery } from '../../../domain/src/notices/delivery';

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
 * same tables, exactly-once delivery and dead-letter handling as deadline notices (the outbox dispatchers send them,
 * woken at COMMIT). Recipients: every unused token's recipient that is an e-mail address (channel email), and the
 * unit's inbox (which also covers anonymous tokens issued without a recipient). Idempotent per round: a second call
 * inserts nothing and returns the same list.
 */
export async function planEvaluationReminder(
  manager: EntityManager,
  input: EvaluationReminderInput,
): Promise<PlannedDelivery[]> {
  const notices = NoticeRepository.on(manager);
  const outbox = NoticeDeliveryRepository.on(manager);
  const dedupe = `evaluation-reminder:${input.evaluationId}:${input.unitId}:${input.round}`;
  const occurrence = await notices.countOfEvaluation(input.evaluationId, input.unitId);
  const noticeId = await notices.insertEvaluationReminder({
    dedupeKey: dedupe,
    cycleId: input.cycleId,
    unitId: input.unitId,
    evaluationId: input.evaluationId,
    occurrence,
    closesAt: input.closesAt,
  });
  const unit = (await NoticeAudienceRepository.on(manager).unit(input.unitId))!;
  const recipients = [
    { channel: 'inbox' as const, address: `unit:${input.unitId}`, name: unit.secretary_name ?? unit.name },
    ...(await notices.unansweredRecipients(input.evaluationId, input.unitId))
      .filter((r) => EMAIL.test(r))
      .map((address) => ({ channel: 'email' as const, address, name: '' })),
  ];
  const rows: PlannedDeliveryRow[] = recipients.map((r) => {
    const key = `${dedupe}|${r.channel}|${r.address}`;
    return {
      id: randomUUID(),
      dedupeKey: key,
      noticeId,
      channel: r.channel,
      recipientUnitId: input.unitId,
      recipientName: r.name,
      address: r.address,
      recipient: {
        name: r.name || undefined,
        email: r.channel === 'email' ? r.address : undefined,
      } as PlannedDeliveryRow['recipient'],
      locale: 'zh-CN',
      critical: false,
      messageId: messageIdFor(key),
      status: 'pending',
      notBefore: null,
    };
  });
  await outbox.insertPlanned(rows);
  const planned = await outbox.pendingOfNotice(noticeId);
  await outbox.notify(planned.map((p) => p.channel));
  return planned.map((p) => ({ deliveryId: p.id, channel: p.channel }));
}

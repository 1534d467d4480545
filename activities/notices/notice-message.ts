import { DateTime } from 'luxon';
import type { NoticeDeliveryRow } from '../../libs/persistence/src/repositories/notice-delivery.repository';
import type { NoticeRepository } from '../../libs/persistence/src/repositories/notice.repository';
import { DAY_MS as DAY, type PlannedStep } from '../../libs/domain/src/plan/unit-plan';
import { renderNotice, type NoticeKindName, type NoticeTemplateContext } from '../../libs/notifications/src/templates';
import type { NoticeLocale } from '../../libs/notifications/src/message';

/** The outbox row a message is rendered for. */
export type DeliveryRecord = NoticeDeliveryRow;

export interface NoticeFacts {
  kind: NoticeKindName;
  audience: 'unit' | 'parent' | 'office';
  cycleId: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  stepKey: string;
  occurrence: number;
  rung: number | null;
  dueAt: Date;
  scheduledFor: Date;
  campaignName: string;
  stageTitle: string;
  stepTitle: string;
  missing: string[];
  timeZone: string;
  /** evaluation_reminder only: the evaluation's title and how many of the unit's tokens are still unused. */
  evaluation?: { id: string; title: string; pending: number };
}

/** Reads what a message says about its notice: the unit, the campaign, the step and its required deliverables. */
export async function loadNoticeFacts(notices: NoticeRepository, noticeId: string): Promise<NoticeFacts> {
  const row = await notices.facts(noticeId);
  if (!row) throw new Error(`notice ${noticeId} does not exist`);
  // counted when the message is first rendered: the reminder says how many are still missing at sending time
  const evaluation = row.evaluation_id ? await notices.evaluationProgress(row.evaluation_id, row.unit_id) : undefined;
  const plan = row.plan;
  let step: PlannedStep | undefined;
  let stageTitle = '';
  for (const stage of plan?.stages ?? []) {
    const found = stage.steps.find((s) => s.key === row.step_key);
    if (found) {
      step = found;
      stageTitle = stage.title;
      break;
    }
  }
  return {
    kind: row.kind,
    audience: row.audience,
    // null only for an evaluation reminder without a cycle (the webhook payload says so)
    cycleId: row.cycle_id as string,
    unitId: row.unit_id,
    unitCode: row.unit_code,
    unitName: row.unit_name,
    stepKey: row.step_key,
    occurrence: row.occurrence,
    rung: row.rung,
    dueAt: new Date(row.due_at),
    scheduledFor: new Date(row.scheduled_for),
    campaignName: plan?.campaignName ?? row.cycle_name ?? '',
    stageTitle,
    stepTitle: step?.title ?? row.step_key,
    missing: (step?.deliverables ?? []).filter((d) => d.required).map((d) => d.title),
    timeZone: row.unit_zone ?? plan?.timeZone ?? row.cycle_zone ?? 'Asia/Shanghai',
    ...(evaluation
      ? { evaluation: { id: row.evaluation_id!, title: evaluation.title, pending: evaluation.pending } }
      : {}),
  };
}

/** The due instant as the recipient reads it, in the unit's zone: 2009年4月30日 17:00 / 30 Apr 2009 17:00. */
export function formatDue(dueAt: Date, timeZone: string, locale: NoticeLocale): string {
  const t = DateTime.fromJSDate(dueAt, { zone: timeZone });
  return locale === 'en' ? t.setLocale('en').toFormat('d LLL yyyy HH:mm') : t.toFormat('yyyy年M月d日 HH:mm');
}

/**
 * The exact task in the units' portal (console route /my/tasks/:cycleId/:unit/:stepKey): a recipient who is not
 * signed in passes through sign-in and lands on it. Unit code rather than id, so the link reads as what it is.
 */
export function unitLink(baseUrl: string, facts: Pick<NoticeFacts, 'unitCode' | 'cycleId' | 'stepKey'>): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}/my/tasks/${facts.cycleId}/${encodeURIComponent(facts.unitCode)}/${encodeURIComponent(facts.stepKey)}`;
}

export function renderDelivery(
  facts: NoticeFacts,
  delivery: Pick<DeliveryRecord, 'locale' | 'recipient_name'>,
  baseUrl: string,
) {
  const ctx: NoticeTemplateContext = {
    campaignName: facts.campaignName,
    stageTitle: facts.stageTitle,
    stepTitle: facts.stepTitle,
    unitName: facts.unitName,
    unitCode: facts.unitCode,
    recipientName: delivery.recipient_name || (delivery.locale === 'en' ? 'colleague' : '同志'),
    audience: facts.audience,
    dueLocal: formatDue(facts.dueAt, facts.timeZone, delivery.locale),
    timeZone: facts.timeZone,
    daysLeft: Math.max(0, Math.round((facts.dueAt.getTime() - facts.scheduledFor.getTime()) / DAY)),
    daysOverdue: Math.max(0, Math.round((facts.scheduledFor.getTime() - facts.dueAt.getTime()) / DAY)),
    missing: facts.missing,
    link: facts.evaluation ? baseUrl.replace(/\/+$/, '') + '/' : unitLink(baseUrl, facts),
    rung: facts.rung,
    ...(facts.evaluation ? { evaluationTitle: facts.evaluation.title, pending: facts.evaluation.pending } : {}),
  };
  return { ...renderNotice(facts.kind, delivery.locale, ctx), link: ctx.link };
}

/**
 * "Why is this step in this state?" answered from the read model in plain words. Pure: rows in, sentences out.
 */
import { assertNever, type UnitEventKind } from '../../../../libs/domain/src/campaign';
import { DAY_MS as DAY } from '../../../../libs/domain/src/plan/unit-plan';
import type { StepStatusRow } from '../cycles/read-model.repository';
import { localTime, plainDuration } from './plain-time';
import { isKind, type UnitEventRow } from './read-model-sentences';

/** The step as the read model holds it; when it last changed plays no part in the explanation. */
export type StepRow = Omit<StepStatusRow, 'updatedAt'>;

export interface Explanation {
  en: string;
  zh: string;
  facts: {
    overdueDays: number | null;
    extensions: number;
    escalations: { audience: string; at: string }[];
    onBulletin: boolean;
  };
}

const TIMES = ['', 'once', 'twice'];
const AUDIENCE = {
  en: { unit: 'the unit', parent: 'the parent organisation', office: 'the office' },
  zh: { unit: '本单位', parent: '上级党组织', office: '党工委办公室' },
} as const;

export function explainStep(
  step: StepRow,
  events: UnitEventRow[],
  ctx: { timeZone: string; nowMs: number; currentStage: string | null },
): Explanation {
  const z = ctx.timeZone;
  const t = (d: Date | string) => localTime(d, z);
  const ts = (d: Date | string) => localTime(d, z, true);
  const en: string[] = [];
  const zh: string[] = [];
  const mine = events.filter((e) => e.stepKey === step.stepKey);
  const last = <K extends UnitEventKind>(kind: K) => mine.filter(isKind(kind)).at(-1);
  const by = (e: UnitEventRow | undefined) => (e && e.actor !== 'system' ? e.actor : null);

  switch (step.status) {
    case 'pending': {
      const inStage = ctx.currentStage === step.stageKey;
      en.push(
        `Not open yet: its window opens ${t(step.opensAt)} (${z})${inStage ? '' : `, once the unit is in stage ${step.stageKey} (now in ${ctx.currentStage ?? 'no stage'})`}`,
      );
      zh.push(
        `尚未开启：开放时间 ${t(step.opensAt)}（${z}）${inStage ? '' : `，且须本单位进入阶段 ${step.stageKey}（目前处于 ${ctx.currentStage ?? '无'}）`}`,
      );
      break;
    }
    case 'open':
    case 'returned': {
      const since = step.openedAt ?? step.opensAt;
      en.push(`Open since ${t(since)} (${z})`);
      zh.push(`自 ${t(since)}（${z}）起开放`);
      if (step.status === 'returned') {
        const r = last('returned');
        en.push(
          `submission ${r?.detail.submissionId ?? step.lastSubmissionId} returned ${t(step.returnedAt ?? r?.at ?? since)}${by(r) ? ` by ${by(r)}` : ''}: ${r?.detail.comment ?? ''}; awaiting resubmission`,
        );
        zh.push(
          `提交 ${r?.detail.submissionId ?? step.lastSubmissionId} 于 ${t(step.returnedAt ?? r?.at ?? since)} 被${by(r) ?? ''}退回：${r?.detail.comment ?? ''}；等待重新提交`,
        );
      }
      break;
    }
    case 'submitted': {
      const s = last('submitted');
      en.push(
        `Submitted ${t(step.submittedAt ?? s?.at ?? step.opensAt)} (${z})${by(s) ? ` by ${by(s)}` : ''} (submission ${step.lastSubmissionId}); awaiting review by the office`,
      );
      zh.push(
        `已于 ${t(step.submittedAt ?? s?.at ?? step.opensAt)}（${z}）由${by(s) ?? '单位'}提交（提交 ${step.lastSubmissionId}），等待办公室审核`,
      );
      break;
    }
    case 'accepted': {
      const a = last('accepted');
      const late =
        step.acceptedAt && step.submittedAt && +step.submittedAt > +step.dueAt
          ? plainDuration(+step.submittedAt - +step.dueAt)
          : null;
      en.push(
        `Accepted ${t(step.acceptedAt ?? a?.at ?? step.dueAt)} (${z})${by(a) ? ` by ${by(a)}` : ''} (submission ${step.lastSubmissionId})${late ? `; submitted ${late.en} after the due date` : ''}`,
      );
      zh.push(
        `已于 ${t(step.acceptedAt ?? a?.at ?? step.dueAt)}（${z}）由${by(a) ?? '系统'}通过（提交 ${step.lastSubmissionId}）${late ? `；逾期${late.zh}提交` : ''}`,
      );
      break;
    }
    case 'waived': {
      const w = last('waived');
      en.push(
        `Waived ${t(step.waivedAt ?? w?.at ?? step.dueAt)} (${z})${by(w) ? ` by ${by(w)}` : ''}: ${w?.detail.reason ?? ''}; it no longer gates stage ${step.stageKey}`,
      );
      zh.push(
        `已于 ${t(step.waivedAt ?? w?.at ?? step.dueAt)}（${z}）由${by(w) ?? '办公室'}免于提交：${w?.detail.reason ?? ''}；不再影响阶段 ${step.stageKey} 的推进`,
      );
      break;
    }
    case 'cancelled':
      en.push('Cancelled with the cycle (or the unit’s part in it)');
      zh.push('已随本轮活动（或本单位的参与）取消');
      break;
    default: {
      // A status this api does not know yet (a newer worker wrote it): named as it is.
      const status = assertNever(step.status, String(step.status));
      en.push(`Status ${status}`);
      zh.push(`状态 ${status}`);
    }
  }

  const extensions = mine.filter(isKind('extended'));
  const due = { en: `due ${ts(step.dueAt)}`, zh: `截止 ${ts(step.dueAt)}` };
  if (extensions.length) {
    const x = extensions[extensions.length - 1];
    const times = TIMES[extensions.length] ?? `${extensions.length} times`;
    due.en += `, extended ${times} (last by ${x.actor}: ${x.detail.reason ?? ''}; originally due ${ts(step.originalDueAt)})`;
    due.zh += `，已延期${extensions.length}次（最近一次由 ${x.actor} 办理：${x.detail.reason ?? ''}；原截止 ${ts(step.originalDueAt)}）`;
  }
  if (step.status !== 'cancelled') {
    en.push(due.en);
    zh.push(due.zh);
  }

  const awaiting = step.status === 'open' || step.status === 'returned';
  const overdueDays = awaiting && ctx.nowMs > +step.dueAt ? Math.floor((ctx.nowMs - +step.dueAt) / DAY) : null;
  if (overdueDays !== null) {
    en.push(overdueDays === 0 ? 'overdue since today' : `overdue ${overdueDays} day${overdueDays === 1 ? '' : 's'}`);
    zh.push(overdueDays === 0 ? '今日起逾期' : `已逾期${overdueDays}天`);
  }

  // Escalations of the current due date only: an extension resets the ladder (generation in the event detail).
  const generation = extensions.length ? extensions[extensions.length - 1].detail.generation : undefined;
  const escalations = mine
    .filter(isKind('escalated'))
    .filter((e) => e.detail.audience !== 'unit' && (generation === undefined || e.detail.generation === generation))
    .map((e) => ({ audience: String(e.detail.audience), at: e.at.toISOString(), local: t(e.at) }));
  if (escalations.length) {
    en.push(
      `escalated ${escalations.map((x) => `to ${AUDIENCE.en[x.audience as 'parent'] ?? x.audience} on ${x.local}`).join(', ')}`,
    );
    zh.push(
      `已${escalations.map((x) => `于 ${x.local} 上报${AUDIENCE.zh[x.audience as 'parent'] ?? x.audience}`).join('，')}`,
    );
  }
  if (step.onBulletin) {
    en.push('on the bulletin list (通报)');
    zh.push('已列入通报名单');
  }
  return {
    en: en.join('; '),
    zh: zh.join('；'),
    facts: {
      overdueDays,
      extensions: extensions.length,
      escalations: escalations.map(({ audience, at }) => ({ audience, at })),
      onBulletin: step.onBulletin,
    },
  };
}

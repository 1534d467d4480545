/**
 * unit_event rows → Chinese sentences (the workflow already writes the English `summary`). Pure; titles come from
 * the cycle's plan so a sentence names 开展学习调研, not s1-study. The switch covers every kind of the contract
 * (libs/domain/src/campaign/unit-events.ts): a kind added there fails to compile here until it has its sentence.
 */
import { assertNever, type AttendanceMoment, type UnitEventKind } from '../../../../libs/domain/src/campaign';
import type { UnitEventRow } from '../cycles/read-model.repository';

export type { UnitEventRow };

/** The row of one kind, its detail narrowed: `events.filter(isKind('extended'))`. */
export const isKind =
  <K extends UnitEventKind>(kind: K) =>
  (e: UnitEventRow): e is Extract<UnitEventRow, { kind: K }> =>
    e.kind === kind;

export interface Titles {
  stage: (key: string | null) => string;
  step: (key: string | null) => string;
}

const AUDIENCE_ZH: Record<string, string> = { unit: '本单位', parent: '上级党组织', office: '党工委办公室' };
const WHEN_ZH: Record<AttendanceMoment, string> = {
  'left the stage': '（离开阶段时）',
  'stage closed': '（阶段结束时）',
};

export function readModelZh(e: UnitEventRow, t: Titles, fmt: (iso: string) => string): string {
  const step = t.step(e.stepKey);
  const by = e.actor && e.actor !== 'system' ? `（${e.actor}）` : '';
  switch (e.kind) {
    case 'started':
      return `工作流启动：本单位开始参加本轮活动`;
    case 'stage_entered':
      return `进入阶段：${t.stage(e.stageKey)}`;
    case 'stage_left':
      return `离开阶段：${t.stage(e.stageKey)}（必需环节均已通过或免于提交）`;
    case 'step_opened':
      return `环节开启：${step}`;
    case 'reminder_sent':
      return `已发送提醒：${step}截止时间为 ${e.detail.dueAt ? fmt(e.detail.dueAt) : '—'}`;
    case 'due_notice_sent':
      return `已发送到期通知：${step}已过截止时间，仍未通过`;
    case 'escalated':
      return `已逐级上报至${AUDIENCE_ZH[e.detail.audience] ?? e.detail.audience}：${step}逾期未通过${e.detail.bulletin ? '；本单位列入通报' : ''}`;
    case 'notice_skipped':
      return `跳过 ${Array.isArray(e.detail.notices) ? e.detail.notices.length : ''} 条已过时的通知：${step}`;
    case 'submitted':
      return `收到提交 ${e.detail.submissionId}${by}：${step}，等待审核`;
    case 'returned':
      return `提交 ${e.detail.submissionId} 被退回修改${by}：${step}。意见：${e.detail.comment ?? ''}`;
    case 'accepted':
      return `提交 ${e.detail.submissionId} 已通过${by}：${step}${e.detail.comment ? `。意见：${e.detail.comment}` : ''}`;
    case 'extended':
      return `${step}截止时间由 ${fmt(e.detail.previousDueAt)} 延至 ${fmt(e.detail.newDueAt)}${by}：${e.detail.reason ?? ''}`;
    case 'extension_ignored':
      return `全体延期未适用于${step}${by}`;
    case 'waived':
      return `${step}免于提交${by}：${e.detail.reason ?? ''}`;
    case 'paused':
      return `暂停${by}${e.detail.reason ? `：${e.detail.reason}` : ''}；恢复前不开启环节、不发通知`;
    case 'resumed':
      return `恢复${by}${e.detail.reason ? `：${e.detail.reason}` : ''}`;
    case 'cancelled':
      return `已取消${by}${e.detail.reason ? `：${e.detail.reason}` : ''}`;
    case 'items_registered':
      return `整改落实方案已通过${by}：${Array.isArray(e.detail.items) ? e.detail.items.length : ''} 个整改项目按各自时限跟踪至完成`;
    case 'attendance_met':
    case 'attendance_below_minimum':
      return `党员集中活动时间${WHEN_ZH[e.detail.when] ?? WHEN_ZH['stage closed']}${t.stage(e.stageKey)}：${e.detail.hours} 小时，要求不少于 ${e.detail.minHours} 小时，${e.detail.met ? '已达标' : '未达标'}`;
    case 'completed':
      return '本轮活动完成：所有环节均已通过、免于提交或结束';
    default:
      // A kind this api does not know yet (a newer worker wrote it): its English summary rather than nothing.
      return assertNever(e, (e as UnitEventRow).summary);
  }
}

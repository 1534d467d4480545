/**
 * Temporal history events of a unit workflow → plain sentences (English and Chinese). Pure: no client, no clock, no
 * database — the caller fetches the runs and passes a time formatter, so this is unit-tested on hand-made events.
 */
import { defaultPayloadConverter, tsToMs, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type {
  RecordNoticeInput,
  RecordNoticeResult,
  RecordUnitTransitionInput,
  RecordUnitTransitionResult,
} from '../../../../activities/campaign/unit-read-model.activities';
import type { PlannedDelivery } from '../../../../libs/domain/src/notices/delivery';
import { extendSignal, unitActivities, unitUpdates } from '../../../../workflows/campaign/messages';
import { plainDuration } from './plain-time';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface TranslatedEvent {
  eventId: number;
  /** e.g. `TimerFired`, `WorkflowExecutionUpdateAccepted`. */
  eventType: string;
  atMs: number;
  en: string;
  zh: string;
  /** Who caused it, when the event says (update/signal arguments' `actor`, else the client identity). */
  actor: string | null;
}

export interface RunContext {
  /** 1 for the first run; continue-as-new increments it. */
  runNumber: number;
  /** Renders an instant in the cycle's time zone, e.g. "2027-05-01 08:00". */
  fmt: (ms: number) => string;
  /** `all`: also the bookkeeping events (workflow tasks, activity scheduled/started) with generic sentences. */
  detail?: 'summary' | 'all';
  decode?: (payload: Payload) => unknown;
}

/** Events that only say "the worker picked up / is about to do something"; the events that follow say what. */
const BOOKKEEPING = new Set([
  'WorkflowTaskScheduled',
  'WorkflowTaskStarted',
  'WorkflowTaskCompleted',
  'ActivityTaskScheduled',
  'ActivityTaskStarted',
]);

const ms = (t: Parameters<typeof tsToMs>[0] | null | undefined) => (t ? tsToMs(t) : 0);
const num = (v: unknown) => Number(v ?? 0);

/** `timerFiredEventAttributes` → `TimerFired`: the attributes field names the event type in the decoded history. */
export function eventTypeOf(event: HistoryEvent): string {
  const key = Object.keys(event).find(
    (k) => k.endsWith('EventAttributes') && (event as Record<string, unknown>)[k] != null,
  );
  return key ? key[0].toUpperCase() + key.slice(1, -'EventAttributes'.length) : 'Unknown';
}

export function translateRun(events: HistoryEvent[], ctx: RunContext): TranslatedEvent[] {
  const decode = ctx.decode ?? ((p: Payload) => safeDecode(p));
  const timers = new Map<number, { atMs: number; timeoutMs: number; timerId: string }>();
  const activities = new Map<number, { name: string; input: unknown }>();
  const updates = new Map<number | string, string>();
  const out: TranslatedEvent[] = [];

  for (const e of events) {
    const eventId = num(e.eventId);
    const atMs = ms(e.eventTime);
    const eventType = eventTypeOf(e);
    const push = (en: string, zh: string, actor: string | null = null) =>
      out.push({ eventId, eventType, atMs, en, zh, actor });
    const args = (payloads: { payloads?: Payload[] | null } | null | undefined) =>
      (payloads?.payloads ?? []).map((p) => decode(p));

    if (e.timerStartedEventAttributes) {
      const a = e.timerStartedEventAttributes;
      timers.set(eventId, { atMs, timeoutMs: ms(a.startToFireTimeout), timerId: a.timerId ?? '?' });
    } else if (e.activityTaskScheduledEventAttributes) {
      const a = e.activityTaskScheduledEventAttributes;
      activities.set(eventId, { name: a.activityType?.name ?? '?', input: args(a.input)[0] });
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const req = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      updates.set(eventId, req?.input?.name ?? '?');
      if (req?.meta?.updateId) updates.set(req.meta.updateId, req.input?.name ?? '?');
    }

    if (BOOKKEEPING.has(eventType) && ctx.detail !== 'all') continue;
    const line = sentence(e, eventType, atMs, ctx, { timers, activities, updates, args });
    push(line.en, line.zh, line.actor ?? null);
  }
  return out;
}

interface Lookups {
  timers: Map<number, { atMs: number; timeoutMs: number; timerId: string }>;
  activities: Map<number, { name: string; input: unknown }>;
  /** Update name by accepted event id and by update id (servers differ in which the completion carries). */
  updates: Map<number | string, string>;
  args: (p: { payloads?: Payload[] | null } | null | undefined) => unknown[];
}

type Line = { en: string; zh: string; actor?: string | null };

function sentence(e: HistoryEvent, eventType: string, atMs: number, ctx: RunContext, l: Lookups): Line {
  const n = ctx.runNumber;
  if (e.workflowExecutionStartedEventAttributes) {
    const a = e.workflowExecutionStartedEventAttributes;
    if (a.continuedExecutionRunId) {
      return {
        en: `Run ${n} started, continuing run ${n - 1} (${a.continuedExecutionRunId})`,
        zh: `第${n}轮运行开始，接续第${n - 1}轮（${a.continuedExecutionRunId}）`,
      };
    }
    const type = a.workflowType?.name ?? 'workflow';
    const queue = a.taskQueue?.name ?? '?';
    return {
      en: `Workflow ${type} started (run ${n}) on task queue ${queue}`,
      zh: `工作流 ${type} 启动（第${n}轮运行），任务队列 ${queue}`,
      actor: a.identity ?? null,
    };
  }
  if (e.timerStartedEventAttributes) {
    const t = l.timers.get(num(e.eventId))!;
    const d = plainDuration(t.timeoutMs);
    return {
      en: `Timer ${t.timerId} started: fires in ${d.en} (at ${ctx.fmt(atMs + t.timeoutMs)})`,
      zh: `定时器 ${t.timerId} 启动：${d.zh}后到期（${ctx.fmt(atMs + t.timeoutMs)}）`,
    };
  }
  if (e.timerFiredEventAttributes) {
    const t = l.timers.get(num(e.timerFiredEventAttributes.startedEventId));
    const d = plainDuration(t ? atMs - t.atMs : 0);
    return { en: `Timer fired after ${d.en}`, zh: `定时器到期：已等待${d.zh}` };
  }
  if (e.timerCanceledEventAttributes) {
    const t = l.timers.get(num(e.timerCanceledEventAttributes.startedEventId));
    const d = plainDuration(t ? atMs - t.atMs : 0);
    return {
      en: `Timer cancelled after ${d.en}: the workflow woke up early (a message arrived)`,
      zh: `定时器已取消（等待${d.zh}后）：工作流因收到消息提前唤醒`,
    };
  }
  if (e.activityTaskScheduledEventAttributes) {
    const name = e.activityTaskScheduledEventAttributes.activityType?.name ?? '?';
    return { en: `Activity ${name} scheduled`, zh: `活动 ${name} 已安排` };
  }
  if (e.activityTaskStartedEventAttributes) {
    const a = l.activities.get(num(e.activityTaskStartedEventAttributes.scheduledEventId));
    return {
      en: `Activity ${a?.name ?? '?'} started (attempt ${e.activityTaskStartedEventAttributes.attempt ?? 1})`,
      zh: `活动 ${a?.name ?? '?'} 开始执行（第${e.activityTaskStartedEventAttributes.attempt ?? 1}次尝试）`,
    };
  }
  if (e.activityTaskCompletedEventAttributes) {
    const a = l.activities.get(num(e.activityTaskCompletedEventAttributes.scheduledEventId));
    return activityCompleted(a?.name ?? '?', activityDetail(a));
  }
  if (e.activityTaskFailedEventAttributes) {
    const a = l.activities.get(num(e.activityTaskFailedEventAttributes.scheduledEventId));
    return activityFailed(a?.name ?? '?', e.activityTaskFailedEventAttributes.failure?.message);
  }
  if (e.activityTaskTimedOutEventAttributes) {
    const a = l.activities.get(num(e.activityTaskTimedOutEventAttributes.scheduledEventId));
    return { en: `Activity ${a?.name ?? '?'} timed out`, zh: `活动 ${a?.name ?? '?'} 超时` };
  }
  if (e.activityTaskCanceledEventAttributes) {
    const a = l.activities.get(num(e.activityTaskCanceledEventAttributes.scheduledEventId));
    return { en: `Activity ${a?.name ?? '?'} cancelled`, zh: `活动 ${a?.name ?? '?'} 已取消` };
  }
  if (e.workflowExecutionUpdateAcceptedEventAttributes) {
    const req = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
    const name = req?.input?.name ?? '?';
    const arg = l.args(req?.input?.args)[0] as Record<string, unknown> | undefined;
    const what = updateDetail(name, arg, ctx);
    return {
      en: `Update '${name}' accepted: ${what.en}`,
      zh: `更新 '${name}' 已接受：${what.zh}`,
      actor: str(arg?.actor) ?? req?.meta?.identity ?? null,
    };
  }
  if (e.workflowExecutionUpdateCompletedEventAttributes) {
    const a = e.workflowExecutionUpdateCompletedEventAttributes;
    const name = l.updates.get(num(a.acceptedEventId)) ?? l.updates.get(a.meta?.updateId ?? '') ?? '?';
    if (a.outcome?.failure)
      return {
        en: `Update '${name}' failed: ${a.outcome.failure.message}`,
        zh: `更新 '${name}' 失败：${a.outcome.failure.message}`,
      };
    const view = l.args(a.outcome?.success)[0] as { key?: string; status?: string } | undefined;
    if (view?.key)
      return {
        en: `Update '${name}' completed: step ${view.key} is now ${view.status}`,
        zh: `更新 '${name}' 已完成：环节 ${view.key} 现为 ${view.status}`,
      };
    return { en: `Update '${name}' completed`, zh: `更新 '${name}' 已完成` };
  }
  if (e.workflowExecutionUpdateRejectedEventAttributes) {
    const a = e.workflowExecutionUpdateRejectedEventAttributes;
    const name = a.rejectedRequest?.input?.name ?? '?';
    return {
      en: `Update '${name}' rejected: ${a.failure?.message ?? ''}`,
      zh: `更新 '${name}' 被拒绝：${a.failure?.message ?? ''}`,
    };
  }
  if (e.workflowExecutionSignaledEventAttributes) {
    const a = e.workflowExecutionSignaledEventAttributes;
    const arg = l.args(a.input)[0] as Record<string, unknown> | undefined;
    const from = str(arg?.actor) ?? a.identity ?? 'unknown';
    const extra = signalDetail(a.signalName ?? '?', arg, ctx);
    return {
      en: `Signal '${a.signalName}' received from ${from}${extra.en}`,
      zh: `收到信号 '${a.signalName}'，来自 ${from}${extra.zh}`,
      actor: from,
    };
  }
  if (e.workflowExecutionContinuedAsNewEventAttributes) {
    const next = e.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId;
    return { en: `Continued as new (run ${n + 1}: ${next})`, zh: `继续为新运行（第${n + 1}轮：${next}）` };
  }
  if (e.workflowExecutionCompletedEventAttributes) return { en: 'Workflow completed', zh: '工作流已完成' };
  if (e.workflowExecutionFailedEventAttributes) {
    const why = e.workflowExecutionFailedEventAttributes.failure?.message ?? '';
    return { en: `Workflow failed: ${why}`, zh: `工作流失败：${why}` };
  }
  if (e.workflowExecutionCanceledEventAttributes) return { en: 'Workflow cancelled', zh: '工作流已取消' };
  if (e.workflowExecutionTerminatedEventAttributes) {
    const a = e.workflowExecutionTerminatedEventAttributes;
    return {
      en: `Workflow terminated by ${a.identity ?? 'unknown'}: ${a.reason ?? ''}`,
      zh: `工作流被 ${a.identity ?? '未知'} 终止：${a.reason ?? ''}`,
      actor: a.identity ?? null,
    };
  }
  if (e.workflowExecutionTimedOutEventAttributes) return { en: 'Workflow timed out', zh: '工作流超时' };
  if (e.workflowTaskFailedEventAttributes) {
    const why = e.workflowTaskFailedEventAttributes.failure?.message ?? '';
    return { en: `Workflow task failed: ${why}`, zh: `工作流任务失败：${why}` };
  }
  if (e.workflowTaskTimedOutEventAttributes)
    return {
      en: 'Workflow task timed out (the worker did not answer in time)',
      zh: '工作流任务超时（worker 未及时响应）',
    };
  if (e.workflowTaskScheduledEventAttributes) return { en: 'Workflow task scheduled', zh: '工作流任务已安排' };
  if (e.workflowTaskStartedEventAttributes) return { en: 'Workflow task started', zh: '工作流任务开始' };
  if (e.workflowTaskCompletedEventAttributes) return { en: 'Workflow task completed', zh: '工作流任务完成' };
  if (e.markerRecordedEventAttributes) {
    const m = e.markerRecordedEventAttributes;
    if (m.markerName === LOCAL_ACTIVITY_MARKER) return localActivitySentence(m, l);
    const name = m.markerName ?? '?';
    return { en: `Marker ${name} recorded`, zh: `记录标记 ${name}` };
  }
  return { en: `Event ${eventType}`, zh: `事件 ${eventType}` };
}

/** Names and arguments of the unit workflow's updates come from their definitions (workflows/campaign/messages.ts). */
function updateDetail(
  name: string,
  a: Record<string, unknown> | undefined,
  ctx: RunContext,
): { en: string; zh: string } {
  const by = str(a?.actor) ?? 'unknown';
  switch (name) {
    case unitUpdates.submit.name:
      return {
        en: `step ${a?.stepKey}, submission ${a?.submissionId} by ${by}`,
        zh: `环节 ${a?.stepKey}，提交 ${a?.submissionId}，提交人 ${by}`,
      };
    case unitUpdates.review.name: {
      const comment = str(a?.comment);
      const verb = a?.decision === 'accept' ? { en: 'accept', zh: '通过' } : { en: 'return', zh: '退回' };
      return {
        en: `${verb.en} submission ${a?.submissionId} of step ${a?.stepKey} by ${by}${comment ? `: ${comment}` : ''}`,
        zh: `${verb.zh}环节 ${a?.stepKey} 的提交 ${a?.submissionId}，审核人 ${by}${comment ? `：${comment}` : ''}`,
      };
    }
    case unitUpdates.extend.name: {
      const due = Date.parse(String(a?.newDueAt));
      const when = Number.isNaN(due) ? String(a?.newDueAt) : ctx.fmt(due);
      return {
        en: `step ${a?.stepKey} due ${when}, by ${by}: ${a?.reason}`,
        zh: `环节 ${a?.stepKey} 截止延至 ${when}，操作人 ${by}：${a?.reason}`,
      };
    }
    case unitUpdates.waive.name:
      return {
        en: `step ${a?.stepKey} waived by ${by}: ${a?.reason}`,
        zh: `环节 ${a?.stepKey} 免于提交，操作人 ${by}：${a?.reason}`,
      };
    default:
      return { en: `by ${by}`, zh: `操作人 ${by}` };
  }
}

function signalDetail(
  name: string,
  a: Record<string, unknown> | undefined,
  ctx: RunContext,
): { en: string; zh: string } {
  if (name === extendSignal.name && a) {
    const due = Date.parse(String(a.newDueAt));
    const when = Number.isNaN(due) ? String(a.newDueAt) : ctx.fmt(due);
    return {
      en: `: step ${a.stepKey} due ${when} (${a.reason})`,
      zh: `：环节 ${a.stepKey} 截止延至 ${when}（${a.reason}）`,
    };
  }
  const reason = str(a?.reason);
  return reason ? { en: `: ${reason}`, zh: `：${reason}` } : { en: '', zh: '' };
}

/** The SDK's marker for a local activity run inside a workflow task: details `data` (type, attempt) and `result`. */
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * A local activity says what an activity says when it completes or fails. Its marker holds the result, not the
 * input: the unit workflow's writes return what they wrote (activities/campaign/unit-read-model.activities.ts).
 */
function localActivitySentence(m: temporal.api.history.v1.IMarkerRecordedEventAttributes, l: Lookups): Line {
  const data = l.args(m.details?.data)[0] as { activity_type?: string } | undefined;
  const name = data?.activity_type ?? '?';
  if (m.failure) return activityFailed(name, m.failure.message);
  return activityCompleted(name, activityDetail({ name, input: inputOf(name, l.args(m.details?.result)[0]) }));
}

const activityCompleted = (name: string, what: { en: string; zh: string }): Line => ({
  en: `Activity ${name} completed${what.en}`,
  zh: `活动 ${name} 已完成${what.zh}`,
});
const activityFailed = (name: string, message: string | null | undefined): Line => {
  const why = message ?? 'no message';
  return { en: `Activity ${name} failed: ${why}`, zh: `活动 ${name} 失败：${why}` };
};

/** The part of an activity's input its result repeats, for activityDetail. */
function inputOf(name: string, result: unknown): unknown {
  if (!result || typeof result !== 'object') return undefined;
  if (name === unitActivities.recordUnitTransition) {
    const kinds = (result as Partial<RecordUnitTransitionResult>).eventKinds;
    return Array.isArray(kinds) ? { events: kinds.map((kind) => ({ kind })) } : undefined;
  }
  if (name === unitActivities.recordNotice) return (result as Partial<RecordNoticeResult>).about;
  return undefined;
}

/**
 * What the unit workflow's read-model and delivery activities carried, so "completed" says about what. Names and
 * input types come from the activity interfaces; the input is checked before use (another worker may have written it).
 */
function activityDetail(a: { name: string; input: unknown } | undefined): { en: string; zh: string } {
  if (!a?.input) return { en: '', zh: '' };
  if (a.name === unitActivities.recordUnitTransition) {
    const input = a.input as Partial<RecordUnitTransitionInput>;
    if (Array.isArray(input.events)) {
      const kinds = input.events.map((ev) => ev.kind).join(', ');
      return { en: ` (read model: ${kinds})`, zh: `（写入读模型：${kinds}）` };
    }
  }
  if (a.name === unitActivities.recordNotice) {
    const input = a.input as Partial<RecordNoticeInput>;
    if (input.kind)
      return {
        en: ` (${input.kind} notice for step ${input.stepKey}, to ${input.audience})`,
        zh: `（环节 ${input.stepKey} 的 ${input.kind} 通知，发送对象 ${input.audience}）`,
      };
  }
  if (a.name === unitActivities.deliverNotice) {
    const input = a.input as Partial<PlannedDelivery>;
    if (input.channel) return { en: ` (${input.channel})`, zh: `（${input.channel}）` };
  }
  return { en: '', zh: '' };
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v.length ? v : null;
}

function safeDecode(p: Payload): unknown {
  try {
    return defaultPayloadConverter.fromPayload(p);
  } catch {
    return undefined; // encrypted or binary payloads: the sentence goes without the arguments
  }
}

import { defaultPayloadConverter, msToTs } from '@temporalio/common';
import { plainDuration } from '../../../apps/api/src/inspection/plain-time';
import { eventTypeOf, translateRun } from '../../../apps/api/src/inspection/temporal-history.translator';
import { DAY } from '../../support/time';

/** Pure translator on hand-made history events (no server): the exact sentences an admin reads. */
const T0 = Date.parse('2027-05-01T00:00:00Z');
const p = (v: unknown) => defaultPayloadConverter.toPayload(v);
const at = (ms: number) => msToTs(ms);
const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

const history: any[] = [
  {
    eventId: 1,
    eventTime: at(T0),
    workflowExecutionStartedEventAttributes: {
      workflowType: { name: 'unitCampaignWorkflow' },
      taskQueue: { name: 'campaigns' },
      identity: 'api@host',
    },
  },
  { eventId: 2, eventTime: at(T0), workflowTaskScheduledEventAttributes: {} },
  { eventId: 3, eventTime: at(T0), workflowTaskStartedEventAttributes: {} },
  { eventId: 4, eventTime: at(T0), workflowTaskCompletedEventAttributes: {} },
  { eventId: 5, eventTime: at(T0), timerStartedEventAttributes: { timerId: '1', startToFireTimeout: msToTs(7 * DAY) } },
  {
    eventId: 6,
    eventTime: at(T0),
    activityTaskScheduledEventAttributes: {
      activityType: { name: 'recordNotice' },
      input: { payloads: [p({ kind: 'reminder', stepKey: 's1-study', audience: 'unit' })] },
    },
  },
  { eventId: 7, eventTime: at(T0 + 1000), activityTaskStartedEventAttributes: { scheduledEventId: 6, attempt: 1 } },
  { eventId: 8, eventTime: at(T0 + 2000), activityTaskCompletedEventAttributes: { scheduledEventId: 6 } },
  { eventId: 9, eventTime: at(T0 + 7 * DAY), timerFiredEventAttributes: { timerId: '1', startedEventId: 5 } },
  {
    eventId: 10,
    eventTime: at(T0 + 8 * DAY),
    workflowExecutionUpdateAcceptedEventAttributes: {
      acceptedRequest: {
        meta: { updateId: 'u1', identity: 'api@host' },
        input: {
          name: 'submit',
          args: { payloads: [p({ stepKey: 's1-study', submissionId: 'sub-1', actor: '王书记' })] },
        },
      },
    },
  },
  {
    eventId: 11,
    eventTime: at(T0 + 8 * DAY),
    workflowExecutionUpdateCompletedEventAttributes: {
      meta: { updateId: 'u1' },
      outcome: { success: { payloads: [p({ key: 's1-study', status: 'submitted' })] } },
    },
  },
  {
    eventId: 12,
    eventTime: at(T0 + 9 * DAY),
    workflowExecutionUpdateRejectedEventAttributes: {
      rejectedRequest: { input: { name: 'submit' } },
      failure: { message: 'step "s1-study" is already submitted' },
    },
  },
  {
    eventId: 13,
    eventTime: at(T0 + 9 * DAY),
    workflowExecutionSignaledEventAttributes: {
      signalName: 'pause',
      identity: 'api@host',
      input: { payloads: [p({ actor: 'office', reason: '上级通知暂停' })] },
    },
  },
  {
    eventId: 14,
    eventTime: at(T0 + 9 * DAY + 90 * 60_000),
    timerCanceledEventAttributes: { timerId: '2', startedEventId: 5 },
  },
  {
    eventId: 15,
    eventTime: at(T0 + 10 * DAY),
    activityTaskFailedEventAttributes: { scheduledEventId: 6, failure: { message: 'connection refused' } },
  },
  {
    eventId: 16,
    eventTime: at(T0 + 10 * DAY),
    workflowExecutionContinuedAsNewEventAttributes: { newExecutionRunId: 'run-2' },
  },
];

describe('temporal history translator (pure, hand-made events)', () => {
  it('says what happened, skipping bookkeeping events by default', () => {
    const out = translateRun(history, { runNumber: 1, fmt });
    expect(out.map((e) => [e.eventId, e.eventType, e.en])).toEqual([
      [1, 'WorkflowExecutionStarted', 'Workflow unitCampaignWorkflow started (run 1) on task queue campaigns'],
      [5, 'TimerStarted', 'Timer 1 started: fires in 7 days (at 2027-05-08 00:00)'],
      [8, 'ActivityTaskCompleted', 'Activity recordNotice completed (reminder notice for step s1-study, to unit)'],
      [9, 'TimerFired', 'Timer fired after 7 days'],
      [10, 'WorkflowExecutionUpdateAccepted', "Update 'submit' accepted: step s1-study, submission sub-1 by 王书记"],
      [11, 'WorkflowExecutionUpdateCompleted', "Update 'submit' completed: step s1-study is now submitted"],
      [12, 'WorkflowExecutionUpdateRejected', 'Update \'submit\' rejected: step "s1-study" is already submitted'],
      [13, 'WorkflowExecutionSignaled', "Signal 'pause' received from office: 上级通知暂停"],
      [14, 'TimerCanceled', 'Timer cancelled after 9 days 1 h: the workflow woke up early (a message arrived)'],
      [15, 'ActivityTaskFailed', 'Activity recordNotice failed: connection refused'],
      [16, 'WorkflowExecutionContinuedAsNew', 'Continued as new (run 2: run-2)'],
    ]);
    expect(out.find((e) => e.eventId === 9)!.zh).toBe('定时器到期：已等待7天');
    expect(out.find((e) => e.eventId === 10)).toMatchObject({
      actor: '王书记',
      zh: "更新 'submit' 已接受：环节 s1-study，提交 sub-1，提交人 王书记",
      atMs: T0 + 8 * DAY,
    });
    expect(out.find((e) => e.eventId === 13)!.actor).toBe('office');
  });

  it('with detail=all also renders the bookkeeping events', () => {
    const out = translateRun(history, { runNumber: 1, fmt, detail: 'all' });
    expect(out).toHaveLength(history.length);
    expect(out.filter((e) => [2, 3, 4, 6, 7].includes(e.eventId)).map((e) => e.en)).toEqual([
      'Workflow task scheduled',
      'Workflow task started',
      'Workflow task completed',
      'Activity recordNotice scheduled',
      'Activity recordNotice started (attempt 1)',
    ]);
  });

  it('a local activity (its marker: type in `data`, what was written in `result`) reads like the activity', () => {
    const marker = (eventId: number, activityType: string, outcome: { result?: unknown; failure?: string }) => ({
      eventId,
      eventTime: at(T0),
      markerRecordedEventAttributes: {
        markerName: 'core_local_activity',
        details: {
          data: { payloads: [p({ seq: 1, attempt: 1, activity_id: '1', activity_type: activityType })] },
          ...(outcome.result ? { result: { payloads: [p(outcome.result)] } } : {}),
        },
        ...(outcome.failure ? { failure: { message: outcome.failure } } : {}),
      },
    });
    const out = translateRun(
      [
        marker(1, 'recordUnitTransition', { result: { eventKinds: ['step_opened', 'reminder_sent'] } }),
        marker(2, 'recordNotice', {
          result: {
            noticeId: 'n1',
            created: true,
            deliveries: [],
            about: { kind: 'due', stepKey: 's2', audience: 'parent' },
          },
        }),
        marker(3, 'recordNotice', { failure: 'connection refused' }),
        { eventId: 4, eventTime: at(T0), markerRecordedEventAttributes: { markerName: 'core_patch' } },
      ] as any[],
      { runNumber: 1, fmt },
    );
    expect(out.map((e) => [e.eventId, e.eventType, e.en, e.zh])).toEqual([
      [
        1,
        'MarkerRecorded',
        'Activity recordUnitTransition completed (read model: step_opened, reminder_sent)',
        '活动 recordUnitTransition 已完成（写入读模型：step_opened, reminder_sent）',
      ],
      [
        2,
        'MarkerRecorded',
        'Activity recordNotice completed (due notice for step s2, to parent)',
        '活动 recordNotice 已完成（环节 s2 的 due 通知，发送对象 parent）',
      ],
      [
        3,
        'MarkerRecorded',
        'Activity recordNotice failed: connection refused',
        '活动 recordNotice 失败：connection refused',
      ],
      [4, 'MarkerRecorded', 'Marker core_patch recorded', '记录标记 core_patch'],
    ]);
  });

  it('names a later run by the run it continues', () => {
    const [first] = translateRun(
      [
        {
          eventId: 1 as any,
          eventTime: at(T0),
          workflowExecutionStartedEventAttributes: {
            continuedExecutionRunId: 'run-1',
            workflowType: { name: 'unitCampaignWorkflow' },
          },
        },
      ],
      { runNumber: 2, fmt },
    );
    expect(first).toMatchObject({
      en: 'Run 2 started, continuing run 1 (run-1)',
      zh: '第2轮运行开始，接续第1轮（run-1）',
    });
  });

  it('event types from the attributes field; durations in two parts at most', () => {
    expect(eventTypeOf({ timerFiredEventAttributes: {} })).toBe('TimerFired');
    expect(plainDuration(7 * DAY)).toEqual({ en: '7 days', zh: '7天' });
    expect(plainDuration(DAY + 3 * 3_600_000 + 5 * 60_000)).toEqual({ en: '1 day 3 h', zh: '1天3小时' });
    expect(plainDuration(9_000_000)).toEqual({ en: '2 h 30 min', zh: '2小时30分钟' });
    expect(plainDuration(4)).toEqual({ en: '0 s', zh: '0秒' });
  });
});

import { explainStep, type StepRow } from '../../../apps/api/src/inspection/step-explainer';
import type { UnitEventRow } from '../../../apps/api/src/inspection/read-model-sentences';
import type { UnitEventDetails, UnitEventKind } from '../../../libs/domain/src/campaign';

/** Pure "why" on hand-made read-model rows: an extended, overdue, escalated step on the bulletin. */
const Z = 'Asia/Shanghai';
const d = (s: string) => new Date(s);
/** A row with only the detail fields the explainer reads (older rows lack some too). */
const ev = <K extends UnitEventKind>(
  seq: number,
  at: string,
  kind: K,
  detail: Partial<UnitEventDetails[K]>,
  actor = 'system',
) =>
  ({
    seq,
    at: d(at),
    kind,
    stageKey: 's2',
    stepKey: 'analysis-report',
    actor,
    summary: kind,
    detail,
    workflowRunId: 'run-1',
  }) as unknown as UnitEventRow;

const step: StepRow = {
  stepKey: 'analysis-report',
  stageKey: 's2',
  title: '分析检查报告',
  status: 'open',
  required: true,
  opensAt: d('2027-04-30T16:00:00Z'),
  dueAt: d('2027-06-30T15:59:59Z'),
  originalDueAt: d('2027-06-15T15:59:59Z'),
  openedAt: d('2027-04-30T16:00:00Z'),
  submittedAt: null,
  returnedAt: null,
  acceptedAt: null,
  waivedAt: null,
  lastSubmissionId: null,
  escalationLevel: 2,
  onBulletin: true,
};

const events = [
  // the first due date's ladder: reset by the extension, so not reported
  ev(1, '2027-06-18T16:00:00Z', 'escalated', { audience: 'parent', generation: 0 }),
  ev(
    2,
    '2027-06-20T02:00:00Z',
    'extended',
    {
      reason: '迎接建党九十周年活动冲突',
      generation: 1,
      previousDueAt: '2027-06-15T15:59:59Z',
      newDueAt: '2027-06-30T15:59:59Z',
    },
    'office',
  ),
  ev(3, '2027-06-30T15:59:59Z', 'escalated', { audience: 'unit', generation: 1 }),
  ev(4, '2027-07-03T15:59:59Z', 'escalated', { audience: 'parent', generation: 1 }),
  ev(5, '2027-07-07T15:59:59Z', 'escalated', { audience: 'office', generation: 1, bulletin: true }),
];

describe('explainStep (pure)', () => {
  it('open, extended once, overdue 9 days, escalated to the parent and the office, on the bulletin', () => {
    const out = explainStep(step, events, {
      timeZone: Z,
      nowMs: Date.parse('2027-07-09T17:00:00Z'),
      currentStage: 's2',
    });
    expect(out.en).toBe(
      'Open since 2027-05-01 00:00 (Asia/Shanghai); due 2027-06-30 23:59:59, extended once (last by office: 迎接建党九十周年活动冲突; originally due 2027-06-15 23:59:59); overdue 9 days; escalated to the parent organisation on 2027-07-03 23:59, to the office on 2027-07-07 23:59; on the bulletin list (通报)',
    );
    expect(out.zh).toBe(
      '自 2027-05-01 00:00（Asia/Shanghai）起开放；截止 2027-06-30 23:59:59，已延期1次（最近一次由 office 办理：迎接建党九十周年活动冲突；原截止 2027-06-15 23:59:59）；已逾期9天；已于 2027-07-03 23:59 上报上级党组织，于 2027-07-07 23:59 上报党工委办公室；已列入通报名单',
    );
    expect(out.facts).toEqual({
      overdueDays: 9,
      extensions: 1,
      escalations: [
        { audience: 'parent', at: '2027-07-03T15:59:59.000Z' },
        { audience: 'office', at: '2027-07-07T15:59:59.000Z' },
      ],
      onBulletin: true,
    });
  });

  it('pending: says when it opens and which stage the unit must reach', () => {
    const out = explainStep(
      { ...step, status: 'pending', openedAt: null, onBulletin: false, originalDueAt: step.dueAt },
      [],
      { timeZone: Z, nowMs: Date.parse('2027-04-01T00:00:00Z'), currentStage: 's1' },
    );
    expect(out.en).toBe(
      'Not open yet: its window opens 2027-05-01 00:00 (Asia/Shanghai), once the unit is in stage s2 (now in s1); due 2027-06-30 23:59:59',
    );
    expect(out.facts.overdueDays).toBeNull();
  });
});

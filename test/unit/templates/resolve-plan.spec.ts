import { parseTemplate, resolvePlan, type CampaignTemplate } from '../../../libs/domain/src/template';

function parsed(input: string | object): CampaignTemplate {
  const result = parseTemplate(input);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.template;
}

/** A campaign written only as data (no code): minutes-long, for tests on the time-skipping server. */
const drill2027 = `
key: short-2027-drill
name: 2027年短周期演练
referenceYear: 2027
defaults:
  reminders: [PT20S, PT10S]
  escalation:
    - { after: PT0S, to: unit }
    - { after: PT30S, to: parent }
    - { after: PT1M, to: office, bulletin: true }
stages:
  - key: kick-off
    title: 启动
    window: { opens: { after: PT0S }, closes: { after: PT5M, from: stage } }
    steps:
      - key: plan
        title: 活动方案
        due: { after: PT30S, from: stage }
        deliverables: [{ key: plan, kind: plan_with_items, title: 方案 }]
      - key: pledge
        title: 公开承诺
        appliesTo: [school]
        review: none
        required: false
        due: { after: PT2M, from: stage }
        deliverables: [{ key: pledge, kind: commitment, title: 公开承诺 }]
  - key: follow-up
    title: 推进
    window: { opens: { after: PT5M }, closes: { after: PT15M } }
    gating: false
    steps:
      - key: hours
        title: 集中学习
        opens: { after: PT1M, from: stage }
        due: { after: PT4M, from: stage }
        reminders: [PT1M]
        deliverables: [{ key: hours, kind: attendance_hours, title: 学时, minHours: 4 }]
recurring:
  - series: check-in
    title: 进度报告
    stage: follow-up
    every: PT2M
    count: 3
    start: { after: PT0S, from: stage }
    deliverables: [{ key: note, kind: free_form, title: 进度 }]
`;

const base = { key: 't', name: 'T', referenceYear: 2026 };
const deliverables = [{ key: 'r', kind: 'report', title: '报告' }];

describe('resolvePlan', () => {
  it('resolves a data-only short campaign (PT30S, PT2M, a recurring milestone) to exact instants', () => {
    const plan = resolvePlan(parsed(drill2027), {
      cycleStartsAt: '2027-03-01T02:00:00.000Z',
      unitKind: 'school',
      templateVersion: 3,
    });
    const notices = {
      reminderOffsetsMs: [20_000, 10_000],
      escalation: [
        { afterMs: 0, to: 'unit', bulletin: false },
        { afterMs: 30_000, to: 'parent', bulletin: false },
        { afterMs: 60_000, to: 'office', bulletin: true },
      ],
    };
    const d = (key: string, kind: string, title: string, extra = {}) => [
      { key, kind, title, required: true, ...extra },
    ];
    expect(plan).toEqual({
      templateKey: 'short-2027-drill',
      templateVersion: 3,
      campaignName: '2027年短周期演练',
      timeZone: 'Asia/Shanghai',
      cycleStartsAt: '2027-03-01T02:00:00.000Z',
      stages: [
        {
          key: 'kick-off',
          title: '启动',
          opensAt: '2027-03-01T02:00:00.000Z',
          closesAt: '2027-03-01T02:05:00.000Z',
          gating: true,
          steps: [
            {
              key: 'plan',
              stageKey: 'kick-off',
              title: '活动方案',
              opensAt: '2027-03-01T02:00:00.000Z',
              dueAt: '2027-03-01T02:00:30.000Z',
              required: true,
              reviewRequired: true,
              deliverables: d('plan', 'plan_with_items', '方案'),
              ...notices,
            },
            {
              key: 'pledge',
              stageKey: 'kick-off',
              title: '公开承诺',
              opensAt: '2027-03-01T02:00:00.000Z',
              dueAt: '2027-03-01T02:02:00.000Z',
              required: false,
              reviewRequired: false,
              deliverables: d('pledge', 'commitment', '公开承诺'),
              ...notices,
            },
          ],
        },
        {
          key: 'follow-up',
          title: '推进',
          opensAt: '2027-03-01T02:05:00.000Z',
          closesAt: '2027-03-01T02:15:00.000Z',
          gating: false,
          steps: [
            {
              key: 'check-in#1',
              stageKey: 'follow-up',
              title: '进度报告（进度报告 1/3）',
              opensAt: '2027-03-01T02:05:00.000Z',
              dueAt: '2027-03-01T02:07:00.000Z',
              required: true,
              reviewRequired: true,
              deliverables: d('note', 'free_form', '进度'),
              ...notices,
              milestone: { series: 'check-in', occurrence: 1, label: '进度报告 1/3' },
            },
            {
              key: 'hours',
              stageKey: 'follow-up',
              title: '集中学习',
              opensAt: '2027-03-01T02:06:00.000Z',
              dueAt: '2027-03-01T02:09:00.000Z',
              required: true,
              reviewRequired: true,
              deliverables: d('hours', 'attendance_hours', '学时', { minHours: 4 }),
              ...notices,
              reminderOffsetsMs: [60_000],
            },
            {
              key: 'check-in#2',
              stageKey: 'follow-up',
              title: '进度报告（进度报告 2/3）',
              opensAt: '2027-03-01T02:07:00.000Z',
              dueAt: '2027-03-01T02:09:00.000Z',
              required: true,
              reviewRequired: true,
              deliverables: d('note', 'free_form', '进度'),
              ...notices,
              milestone: { series: 'check-in', occurrence: 2, label: '进度报告 2/3' },
            },
            {
              key: 'check-in#3',
              stageKey: 'follow-up',
              title: '进度报告（进度报告 3/3）',
              opensAt: '2027-03-01T02:09:00.000Z',
              dueAt: '2027-03-01T02:11:00.000Z',
              required: true,
              reviewRequired: true,
              deliverables: d('note', 'free_form', '进度'),
              ...notices,
              milestone: { series: 'check-in', occurrence: 3, label: '进度报告 3/3' },
            },
          ],
        },
      ],
    });
  });

  it('drops steps that do not apply to the unit kind, and stages left empty', () => {
    const agency = resolvePlan(parsed(drill2027), {
      cycleStartsAt: new Date('2027-03-01T02:00:00.000Z'),
      unitKind: 'agency',
      templateVersion: 1,
    });
    expect(agency.stages.map((s) => [s.key, s.steps.map((x) => x.key)])).toEqual([
      ['kick-off', ['plan']],
      ['follow-up', ['check-in#1', 'hours', 'check-in#2', 'check-in#3']],
    ]);
    const onlySchools = parsed({
      ...base,
      stages: [
        {
          key: 'a',
          title: 'A',
          window: { opens: '2026-03-01', closes: '2026-03-31' },
          steps: [{ key: 's', title: 'S', due: '2026-03-20', appliesTo: ['school'], deliverables }],
        },
        {
          key: 'b',
          title: 'B',
          window: { opens: '2026-04-01', closes: '2026-04-30' },
          steps: [{ key: 't', title: 'T', due: '2026-04-20', deliverables }],
        },
      ],
    });
    expect(
      resolvePlan(onlySchools, {
        cycleStartsAt: '2026-03-01',
        unitKind: 'kindergarten',
        templateVersion: 1,
      }).stages.map((s) => s.key),
    ).toEqual(['b']);
  });

  describe('rolling due dates to working days', () => {
    const nationalDay = (calendar: object) =>
      parsed({
        ...base,
        calendar,
        stages: [
          {
            key: 'a',
            title: 'A',
            window: { opens: '2026-09-01', closes: '2026-10-31' },
            steps: [{ key: 's', title: 'S', due: '2026-10-01T17:00', deliverables }],
          },
        ],
      });

    it('moves a deadline on National Day (2026-10-01 17:00) to 2026-10-08 17:00 when the template asks', () => {
      const plan = resolvePlan(nationalDay({ rollDueToWorkingDay: true }), {
        cycleStartsAt: '2026-09-01',
        unitKind: 'school',
        templateVersion: 1,
      });
      expect(plan.stages[0].steps[0].dueAt).toBe('2026-10-08T09:00:00.000Z');
    });

    it('skips office closures too (the next working day is then the make-up Saturday 2026-10-10)', () => {
      const plan = resolvePlan(nationalDay({ rollDueToWorkingDay: true }), {
        cycleStartsAt: '2026-09-01',
        unitKind: 'school',
        templateVersion: 1,
        calendar: { closures: ['2026-10-08', '2026-10-09'] },
      });
      expect(plan.stages[0].steps[0].dueAt).toBe('2026-10-10T09:00:00.000Z');
      expect(plan.closures).toEqual(['2026-10-08', '2026-10-09']); // for notices, which skip them too
    });

    it('keeps the holiday deadline when the template does not ask (or the caller turns rolling off)', () => {
      expect(
        resolvePlan(nationalDay({}), { cycleStartsAt: '2026-09-01', unitKind: 'school', templateVersion: 1 }).stages[0]
          .steps[0].dueAt,
      ).toBe('2026-10-01T09:00:00.000Z');
      const off = resolvePlan(nationalDay({ rollDueToWorkingDay: true }), {
        cycleStartsAt: '2026-09-01',
        unitKind: 'school',
        templateVersion: 1,
        calendar: { rollDueToWorkingDay: false },
      });
      expect(off.stages[0].steps[0].dueAt).toBe('2026-10-01T09:00:00.000Z');
    });

    it('stretches a stage window whose last deadline rolled past its end', () => {
      const t = parsed({
        ...base,
        calendar: { rollDueToWorkingDay: true },
        stages: [
          {
            key: 'a',
            title: 'A',
            window: { opens: '2026-09-01', closes: '2026-10-01' },
            steps: [{ key: 's', title: 'S', due: '2026-10-01T17:00', deliverables }],
          },
        ],
      });
      const stage = resolvePlan(t, { cycleStartsAt: '2026-09-01', unitKind: 'school', templateVersion: 1 }).stages[0];
      expect([stage.closesAt, stage.steps[0].dueAt]).toEqual(['2026-10-08T09:00:00.000Z', '2026-10-08T09:00:00.000Z']);
    });
  });

  it('moves absolute dates by whole years with the cycle (29 February becomes 28 February)', () => {
    const t = parsed({
      ...base,
      referenceYear: 2024,
      stages: [
        {
          key: 'a',
          title: 'A',
          window: { opens: '2024-02-01', closes: '2024-03-31' },
          steps: [{ key: 's', title: 'S', due: '2024-02-29T12:00', deliverables }],
        },
      ],
    });
    expect(
      resolvePlan(t, { cycleStartsAt: '2024-01-15', unitKind: 'school', templateVersion: 1 }).stages[0].steps[0].dueAt,
    ).toBe('2024-02-29T04:00:00.000Z');
    expect(
      resolvePlan(t, { cycleStartsAt: '2025-01-15', unitKind: 'school', templateVersion: 1 }).stages[0].steps[0].dueAt,
    ).toBe('2025-02-28T04:00:00.000Z');
    expect(
      resolvePlan(t, { cycleStartsAt: '2028-01-15', unitKind: 'school', templateVersion: 1 }).stages[0].steps[0].dueAt,
    ).toBe('2028-02-29T04:00:00.000Z');
  });

  it('expands quarters and semesters over a range into occurrences placed in the stage holding each due date', () => {
    const t = parsed({
      ...base,
      stages: [
        { key: 'first-half', title: '上半年', window: { opens: '2026-01-01', closes: '2026-06-30' } },
        { key: 'second-half', title: '下半年', window: { opens: '2026-07-01', closes: '2027-01-31' } },
      ],
      recurring: [
        {
          series: 'quarterly',
          title: '季度报告',
          every: 'quarter',
          from: '2026-02-15',
          to: '2026-12-31',
          dueAfterPeriodEnd: 'P0D',
          deliverables,
        },
        {
          series: 'semester',
          title: '学期总结',
          every: 'semester',
          from: '2026-01-01',
          to: '2027-01-31',
          deliverables,
        },
      ],
    });
    const plan = resolvePlan(t, { cycleStartsAt: '2026-01-01', unitKind: 'school', templateVersion: 1 });
    expect(plan.stages.map((s) => s.steps.map((x) => [x.key, x.opensAt, x.dueAt, x.milestone!.label]))).toEqual([
      [
        // January 2026 ends the autumn semester of 2025 (Aug–Jan), which overlaps the range.
        ['semester#1', '2025-12-31T16:00:00.000Z', '2026-01-31T15:59:59.000Z', '2025年秋季学期'],
        ['quarterly#1', '2026-02-14T16:00:00.000Z', '2026-03-31T15:59:59.000Z', '2026年第1季度'],
        ['quarterly#2', '2026-03-31T16:00:00.000Z', '2026-06-30T15:59:59.000Z', '2026年第2季度'],
      ],
      [
        // The spring semester (Feb–Jul) is due on 31 July, in the second stage; it opens when that stage opens.
        ['semester#2', '2026-06-30T16:00:00.000Z', '2026-07-31T15:59:59.000Z', '2026年春季学期'],
        ['quarterly#3', '2026-06-30T16:00:00.000Z', '2026-09-30T15:59:59.000Z', '2026年第3季度'],
        ['quarterly#4', '2026-09-30T16:00:00.000Z', '2026-12-31T15:59:59.000Z', '2026年第4季度'],
        ['semester#3', '2026-07-31T16:00:00.000Z', '2027-01-31T15:59:59.000Z', '2026年秋季学期'],
      ],
    ]);
  });
});

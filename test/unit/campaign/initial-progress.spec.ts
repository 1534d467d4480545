import type { CyclePlan, PlannedStage } from '../../../libs/domain/src/plan/unit-plan';
import { initialProgress } from '../../../libs/domain/src/plan/initial-progress';

const T0 = Date.parse('2026-03-01T00:00:00Z');
const at = (days: number) => new Date(T0 + days * 86_400_000).toISOString();
const step = (key: string, stageKey: string, opens: number, due: number, required = true) => ({
  key,
  stageKey,
  title: key,
  opensAt: at(opens),
  dueAt: at(due),
  required,
  reviewRequired: true,
  deliverables: [],
  reminderOffsetsMs: [],
  escalation: [],
});
const plan = (stages: PlannedStage[]): CyclePlan =>
  ({
    templateKey: 't',
    templateVersion: 1,
    campaignName: 'c',
    timeZone: 'Asia/Shanghai',
    cycleStartsAt: at(0),
    stages,
  }) as CyclePlan;
const stage = (key: string, steps: ReturnType<typeof step>[], gating?: boolean): PlannedStage => ({
  key,
  title: key,
  opensAt: at(0),
  closesAt: at(90),
  steps,
  ...(gating === undefined ? {} : { gating }),
});

describe('initialProgress (the read model a unit has before its workflow runs)', () => {
  it('opens the steps of the first stage whose window has opened, at the start instant; the rest are not open', () => {
    const p = initialProgress(
      plan([stage('a', [step('a1', 'a', -2, 10), step('a2', 'a', 5, 20)]), stage('b', [step('b1', 'b', -1, 30)])]),
      T0,
    );
    expect(p.currentStage).toBe('a');
    expect(p.steps.map((s) => [s.stepKey, s.status, s.openedAt])).toEqual([
      ['a1', 'open', at(0)],
      ['a2', 'pending', null],
      ['b1', 'pending', null], // its window is open, but gating holds the unit in stage a
    ]);
  });

  it('passes through stages that hold nobody (gating off, or nothing required), as the workflow does', () => {
    const p = initialProgress(
      plan([
        stage('a', [step('a1', 'a', 0, 10)], false),
        stage('b', [step('b1', 'b', 0, 10, false)]),
        stage('c', [step('c1', 'c', 0, 20), step('c2', 'c', 3, 20)]),
        stage('d', [step('d1', 'd', 0, 40)]),
      ]),
      T0 + 1000,
    );
    expect(p.currentStage).toBe('c');
    expect(p.steps.map((s) => [s.stepKey, s.status, s.openedAt])).toEqual([
      ['a1', 'open', new Date(T0 + 1000).toISOString()],
      ['b1', 'open', new Date(T0 + 1000).toISOString()],
      ['c1', 'open', new Date(T0 + 1000).toISOString()],
      ['c2', 'pending', null],
      ['d1', 'pending', null],
    ]);
  });
});

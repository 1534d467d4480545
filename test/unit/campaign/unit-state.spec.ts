import {
  formatDistance,
  formatInstant,
  initialState,
  isSettled,
  noticesOf,
  stageSatisfied,
} from '../../../workflows/campaign/unit-state';
import { threeStagePlan } from '../../support/campaign-factory';
import { DAY } from '../../support/time';
import { schoolUnitInput } from '../../support/cycle-fixtures';

/** Pure arithmetic of the unit workflow (no Temporal, no database). */
describe('unit workflow state arithmetic', () => {
  const t0 = Date.UTC(2027, 2, 1, 0, 0, 0);
  const plan = threeStagePlan(t0);
  const input = schoolUnitInput('c', { id: 'u', code: 'U1', name: '一支部' }, plan);

  it('schedules reminders before due, the due notice (standing for the "at due → unit" rung) and the later rungs', () => {
    const step = initialState(input).steps[0];
    const due = t0 + 20 * DAY;
    expect(noticesOf(step).map((n) => [n.id, n.atMs - due, n.audience, n.bulletin, n.reachesRung])).toEqual([
      ['reminder:r0', -7 * DAY, 'unit', false, undefined],
      ['reminder:r1', -1 * DAY, 'unit', false, undefined],
      ['due:r0', 0, 'unit', false, 0],
      ['escalation:r1', 3 * DAY, 'parent', false, 1],
      ['escalation:r2', 7 * DAY, 'office', true, 2],
    ]);
  });

  it('gives optional steps reminders only, and lets them settle at their due date unless submitted', () => {
    const survey = initialState(input).steps.find((s) => s.key === 's3-survey')!;
    expect(noticesOf(survey)).toEqual([]);
    expect(isSettled(survey, survey.dueAtMs - 1)).toBe(false);
    expect(isSettled(survey, survey.dueAtMs)).toBe(true);
    expect(isSettled({ ...survey, status: 'submitted' }, survey.dueAtMs + DAY)).toBe(false);
  });

  it('gates a stage on its required steps only, unless the stage says gating: false', () => {
    const s = initialState(input);
    expect(stageSatisfied(s, 2, plan.stages)).toBe(false);
    s.steps.find((x) => x.key === 's3-plan')!.status = 'waived';
    expect(stageSatisfied(s, 2, plan.stages)).toBe(true); // the optional survey does not hold the unit
    expect(stageSatisfied(s, 0, plan.stages)).toBe(false);
    expect(
      stageSatisfied(
        s,
        0,
        plan.stages.map((st, i) => (i === 0 ? { ...st, gating: false } : st)),
      ),
    ).toBe(true);
  });

  it('renders local times with the given offset, and distances in days or hours', () => {
    expect(formatInstant(Date.UTC(2009, 5, 30, 9, 0), input)).toBe('2009-06-30 17:00 (Asia/Shanghai)');
    expect(formatInstant(Date.UTC(2009, 5, 30, 9, 0), { ...input, utcOffsetMinutes: undefined })).toBe(
      '2009-06-30T09:00:00.000Z',
    );
    expect([
      formatDistance(0, 7 * DAY),
      formatDistance(0, DAY),
      formatDistance(0, 5 * 3_600_000),
      formatDistance(3 * DAY, 0),
    ]).toEqual(['7 days left', '1 day left', '5 hours left', '3 days overdue']);
  });
});

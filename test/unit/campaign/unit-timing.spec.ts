import type { RecordNoticeInput } from '../../../activities/campaign/unit-read-model.activities';
import type { CyclePlan } from '../../../libs/domain/src/plan/unit-plan';
import { UnitCampaign } from '../../../workflows/campaign/unit-campaign';
import { initialState, type AttendanceRule, type UnitCarriedState } from '../../../workflows/campaign/unit-state';
import {
  attendanceCheckAt,
  extensionMoves,
  missedNotices,
  nextEventAt,
  openingInstant,
  opensNow,
} from '../../../workflows/campaign/unit-timing';
import { threeStagePlan } from '../../support/campaign-factory';
import { DAY, HOUR, isoOf } from '../../support/time';
import { schoolUnitInput } from '../../support/cycle-fixtures';

/**
 * The unit workflow's timing without Temporal: the pure functions of unit-timing.ts and the transitions of
 * UnitCampaign that use them, on the hand-written three-stage plan (test/support/campaign-factory.ts):
 * s1-study opens t0, due t0+20d (reminders 7d and 1d before; ladder: at due → unit, +3d → parent, +7d → office with
 * the bulletin) · s2-report opens t0+10d, due t0+60d (reminder 7d) · s3-plan due t0+90d · optional s3-survey due t0+80d.
 */
const t0 = Date.UTC(2027, 2, 1, 0, 0, 0);
const at = (days: number) => t0 + days * DAY;
const plan = threeStagePlan(t0);
const input = schoolUnitInput('c1', { id: 'u1', code: 'U1', name: '一支部' }, plan);

/** A unit started at t0 whose first step has opened (the workflow's first activation). */
function startedUnit(p: CyclePlan = plan, attendanceChecksOn = false) {
  const unit = new UnitCampaign({ ...input, plan: p }, initialState({ ...input, plan: p }), attendanceChecksOn);
  unit.start(t0);
  expect(unit.advance(t0)).toEqual([]);
  unit.takeBatch();
  return unit;
}
const step = (unit: UnitCampaign, key: string) => unit.s.steps.find((s) => s.key === key)!;
const kindsOf = (unit: UnitCampaign) => unit.takeBatch()?.events.map((e) => e.kind) ?? [];
const noticeSummary = (n: RecordNoticeInput) => [n.stepKey, n.kind, n.rung, n.audience, n.occurrence, n.scheduledFor];

describe('what is due next', () => {
  it('walks one open step through its reminders, due notice and escalation rungs, then the optional step settling', () => {
    const unit = startedUnit();
    const seen: [string, unknown[][]][] = [];
    for (let next = unit.nextEventAt(t0); next !== undefined; next = unit.nextEventAt(next)) {
      seen.push([isoOf(next), unit.advance(next).map(noticeSummary)]);
    }
    expect(seen).toEqual([
      [isoOf(at(13)), [['s1-study', 'reminder', 0, 'unit', 0, isoOf(at(13))]]],
      [isoOf(at(19)), [['s1-study', 'reminder', 1, 'unit', 0, isoOf(at(19))]]],
      [isoOf(at(20)), [['s1-study', 'due', 0, 'unit', 0, isoOf(at(20))]]],
      [isoOf(at(23)), [['s1-study', 'escalation', 1, 'parent', 0, isoOf(at(23))]]],
      [isoOf(at(27)), [['s1-study', 'escalation', 2, 'office', 0, isoOf(at(27))]]],
      // the optional survey of stage 3 settles at its due date (nothing is sent); then nothing is scheduled
      [isoOf(at(80)), []],
    ]);
    expect(step(unit, 's1-study')).toMatchObject({
      escalationRung: 2,
      onBulletin: true,
      handled: ['reminder:r0', 'reminder:r1', 'due:r0', 'escalation:r1', 'escalation:r2'],
    });
  });

  it('counts a later stage’s opening only once the unit is in that stage; the step then opens at the stage entry', () => {
    const s = initialState(input);
    const report = s.steps.find((st) => st.key === 's2-report')!;
    expect(opensNow(report, s, at(12))).toBe(false); // its window opened at 10d, but the unit is still in s1
    s.stageIndex = 1;
    s.stageEnteredAtMs[1] = at(12);
    expect(opensNow(report, s, at(12))).toBe(true);
    expect(openingInstant(report, s)).toBe(at(12));
    s.resumedAtMs = at(14); // a pause held everything until 14d
    expect(openingInstant(report, s)).toBe(at(14));
  });

  it('has nothing timed while paused or cancelled (only a message wakes the unit)', () => {
    const unit = startedUnit();
    expect(unit.nextEventAt(at(1))).toBe(at(13));
    expect(unit.pause({ actor: 'office' }, at(1))).toBe(true);
    expect(unit.nextEventAt(at(1))).toBeUndefined();
    expect(unit.resume({ actor: 'office' }, at(2))).toBe(true);
    expect(unit.nextEventAt(at(2))).toBe(at(13));
    expect(unit.cancel({ actor: 'office' }, at(3))).toBe(true);
    expect(unit.nextEventAt(at(3))).toBeUndefined();
    expect(kindsOf(unit)).toEqual(['paused', 'resumed', 'cancelled']);
  });

  it('wakes up for an attendance minimum at its stage’s close, and checks it early when the unit left the stage', () => {
    const s: UnitCarriedState = initialState(input);
    const rule: AttendanceRule = {
      stageIndex: 0,
      stageKey: 's1',
      stageTitle: '学习调研',
      minHours: 48,
      closesAtMs: at(20),
    };
    for (const st of s.steps) st.status = 'waived'; // nothing else is scheduled
    expect(nextEventAt(s, [rule], at(5))).toBe(at(20));
    expect(nextEventAt(s, [], at(5))).toBeUndefined();
    expect(attendanceCheckAt(rule, s, at(5))).toBeUndefined();
    expect(attendanceCheckAt(rule, s, at(21))).toBe(at(20)); // stamped with the close, not the late wake-up
    s.stageIndex = 1;
    expect(attendanceCheckAt(rule, s, at(5))).toBe(at(5)); // left the stage before it closed
    s.state = 'paused';
    expect(attendanceCheckAt(rule, s, at(21))).toBeUndefined();
  });

  it('takes the attendance rules from the plan only when the check is on (runs recorded before it replay without)', () => {
    const withMinimum: CyclePlan = {
      ...plan,
      stages: plan.stages.map((st, i) =>
        i === 0
          ? {
              ...st,
              steps: st.steps.map((x) => ({
                ...x,
                deliverables: [
                  ...x.deliverables,
                  { key: 'hours', kind: 'attendance_hours' as const, title: '学时', required: true, minHours: 48 },
                ],
              })),
            }
          : st,
      ),
    };
    expect(
      startedUnit(withMinimum, true)
        .pendingAttendance()
        .map((r) => [r.stageKey, r.minHours, isoOf(r.closesAtMs)]),
    ).toEqual([['s1', 48, isoOf(at(20))]]);
    expect(startedUnit(withMinimum, false).pendingAttendance()).toEqual([]);
  });
});

describe('what an extension moves', () => {
  it('a new generation with a fresh ladder: the due date moves, handled notices and the rung reset', () => {
    const s1 = step(startedUnit(), 's1-study');
    const moved = extensionMoves(
      { ...s1, generation: 2, handled: ['reminder:r0', 'due:r0'], escalationRung: 1 },
      at(30),
    );
    expect(moved).toEqual({ dueAtMs: at(30), generation: 3, handled: [], escalationRung: -1 });
  });

  it('skips the new date’s notices already past, and the next notice belongs to the new generation', () => {
    const unit = startedUnit();
    unit.advance(at(20)); // reminders and the due notice of generation 0 went out
    unit.takeBatch();
    expect(
      unit.extendRefusal({ stepKey: 's1-study', newDueAt: isoOf(at(30)), actor: 'office', reason: '迎接检查' }, at(24)),
    ).toBeUndefined();
    unit.extend({ stepKey: 's1-study', newDueAt: isoOf(at(30)), actor: 'office', reason: '迎接检查' }, at(24));
    const batch = unit.takeBatch()!;
    expect(batch.events.map((e) => [e.kind, e.detail])).toEqual([
      ['extended', { previousDueAt: isoOf(at(20)), newDueAt: isoOf(at(30)), generation: 1, reason: '迎接检查' }],
      // the new date's first reminder (7 days before, 23d) had passed at 24d: skipped, never sent late
      [
        'notice_skipped',
        {
          why: 'their time had passed when the due date was extended',
          generation: 1,
          notices: [{ kind: 'reminder', rung: 0, at: isoOf(at(23)) }],
        },
      ],
    ]);
    expect(batch.steps.map((v) => [v.key, v.dueAt, v.originalDueAt, v.escalationRung])).toEqual([
      ['s1-study', isoOf(at(30)), isoOf(at(20)), -1],
    ]);
    expect(unit.nextEventAt(at(24))).toBe(at(29));
    expect(unit.advance(at(29)).map((n) => [n.kind, n.rung, n.occurrence, n.dedupeKey])).toEqual([
      ['reminder', 1, 1, 'c1:u1:s1-study:reminder:g1:r1'],
    ]);
  });

  it('a cycle-wide extension a unit cannot take is recorded as not applied, with the reason', () => {
    const unit = startedUnit();
    expect(
      unit.extendAll({ stepKey: 's1-study', newDueAt: isoOf(at(1)), actor: 'office', reason: '统一延期' }, at(2)),
    ).toBe(true);
    expect(unit.takeBatch()!.events.map((e) => [e.kind, e.summary])).toEqual([
      ['extension_ignored', `Cycle-wide extension not applied: newDueAt ${isoOf(at(1))} is not in the future`],
    ]);
    expect(step(unit, 's1-study').generation).toBe(0);
  });
});

describe('which notices are skipped', () => {
  it('when a step opens late (gating held the unit): those whose time passed before the opening', () => {
    const unit = startedUnit();
    unit.submit({ stepKey: 's1-study', submissionId: 'v1', actor: 'u1' }, at(12));
    unit.review({ stepKey: 's1-study', submissionId: 'v1', decision: 'accept', actor: 'office' }, at(55));
    unit.takeBatch();
    expect(unit.advance(at(55))).toEqual([]);
    expect(unit.takeBatch()!.events.map((e) => [e.kind, e.stepKey ?? e.stageKey, e.at])).toEqual([
      ['stage_left', 's1', isoOf(at(55))],
      ['stage_entered', 's2', isoOf(at(55))],
      ['step_opened', 's2-report', isoOf(at(55))],
      ['notice_skipped', 's2-report', isoOf(at(55))], // its reminder of 53d
    ]);
    expect(missedNotices(step(unit, 's2-report'), at(55))).toEqual([]);
    expect(unit.nextEventAt(at(55))).toBe(at(60));
  });

  it('when a returned step comes back to the unit: those that fell due while it was under review', () => {
    const unit = startedUnit();
    unit.submit({ stepKey: 's1-study', submissionId: 'v1', actor: 'u1' }, at(12));
    expect(unit.advance(at(20))).toEqual([]); // nothing goes to a unit whose submission is under review
    unit.review(
      { stepKey: 's1-study', submissionId: 'v1', decision: 'return', comment: '补充调研记录', actor: 'office' },
      at(21),
    );
    const skipped = unit.takeBatch()!.events.find((e) => e.kind === 'notice_skipped')!;
    expect(skipped.detail).toEqual({
      why: 'their time passed while the submission was under review',
      generation: 0,
      notices: [
        { kind: 'reminder', rung: 0, at: isoOf(at(13)) },
        { kind: 'reminder', rung: 1, at: isoOf(at(19)) },
        { kind: 'due', rung: 0, at: isoOf(at(20)) },
      ],
    });
    expect(unit.nextEventAt(at(21))).toBe(at(23)); // the escalation rungs still stand
  });

  it('when the unit resumes: those that fell due while it was paused; a step whose window opened meanwhile opens at the resume', () => {
    const unit = startedUnit();
    unit.pause({ actor: 'office', reason: '迎检' }, at(12));
    expect(unit.advance(at(19) + HOUR)).toEqual([]);
    unit.resume({ actor: 'office' }, at(19) + HOUR);
    const events = unit.takeBatch()!.events;
    expect(events.map((e) => e.kind)).toEqual(['paused', 'resumed', 'notice_skipped']);
    expect(events[2].detail).toMatchObject({
      why: 'their time passed while the unit was paused',
      notices: [
        { kind: 'reminder', rung: 0 },
        { kind: 'reminder', rung: 1 },
      ],
    });
    expect(unit.advance(at(20)).map((n) => n.kind)).toEqual(['due']);
  });
});

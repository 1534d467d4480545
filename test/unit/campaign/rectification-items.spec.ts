import {
  attendanceRules,
  attendanceSummary,
  initialState,
  itemRollup,
  itemStep,
  itemsProblem,
  noticesOf,
  stageSatisfied,
  unitStatus,
} from '../../../workflows/campaign/unit-state';
import { threeStagePlan } from '../../support/campaign-factory';
import { DAY } from '../../support/time';
import { schoolUnitInput } from '../../support/cycle-fixtures';

/** Pure arithmetic of rectification items and the attendance rule (no Temporal, no database). */
describe('rectification items and attendance rules (unit workflow state)', () => {
  const t0 = Date.UTC(2027, 2, 1, 0, 0, 0);
  const plan = threeStagePlan(t0);
  const input = schoolUnitInput('c', { id: 'u', code: 'U1', name: '一支部' }, plan);
  const item = (no: number, dueMs: number) => ({
    no,
    project: `项目${no}`,
    responsible: '书记',
    dueAt: new Date(dueMs).toISOString(),
  });

  it('makes an item a required step of the plan step’s stage with the plan step’s ladder measured from its own deadline', () => {
    const s = initialState(input);
    const planStep = s.steps.find((st) => st.key === 's3-plan')!;
    const now = t0 + 40 * DAY;
    const due = t0 + 50 * DAY;
    const st = itemStep(planStep, item(2, due), now);
    expect(st).toMatchObject({
      key: 's3-plan#item-2',
      stageKey: 's3',
      stageIndex: 2,
      title: '整改项目 2: 项目2',
      required: true,
      reviewRequired: true,
      opensAtMs: now,
      dueAtMs: due,
      status: 'pending',
      item: { no: 2, planStepKey: 's3-plan', responsible: '书记' },
    });
    expect(noticesOf(st).map((n) => [n.id, n.atMs - due, n.audience])).toEqual([
      ['reminder:r0', -7 * DAY, 'unit'],
      ['due:r0', 0, 'unit'],
      ['escalation:r1', 3 * DAY, 'parent'],
      ['escalation:r2', 7 * DAY, 'office'],
    ]);
  });

  it('holds the stage while an item is open; accepted or waived items release it', () => {
    const s = initialState(input);
    for (const st of s.steps) st.status = 'accepted';
    const planStep = s.steps.find((st) => st.key === 's3-plan')!;
    const open = itemStep(planStep, item(1, t0 + 50 * DAY), t0);
    s.steps.push(open);
    expect(stageSatisfied(s, 2, plan.stages)).toBe(false);
    open.status = 'waived';
    expect(stageSatisfied(s, 2, plan.stages)).toBe(true);
  });

  it('rolls items up into open / overdue / completed / waived on the given clock', () => {
    const s = initialState(input);
    const planStep = s.steps.find((st) => st.key === 's3-plan')!;
    const items = [1, 2, 3, 4, 5].map((no) => itemStep(planStep, item(no, t0 + no * DAY), t0));
    items[0].status = 'accepted';
    items[1].status = 'waived';
    items[2].status = 'submitted'; // past due at t0+4d, awaiting review: still overdue
    items[3].status = 'open';
    items[4].status = 'returned';
    s.steps.push(...items);
    expect(itemRollup(s, t0 + 4.5 * DAY)).toEqual({ total: 5, open: 1, overdue: 2, completed: 1, waived: 1 });
    expect(unitStatus(input, s, t0 + 4.5 * DAY).items).toEqual({
      total: 5,
      open: 1,
      overdue: 2,
      completed: 1,
      waived: 1,
    });
    expect(unitStatus(input, initialState(input)).items).toBeUndefined();
  });

  it('refuses item lists that cannot be registered, with the reason', () => {
    const s = initialState(input);
    const planStep = s.steps.find((st) => st.key === 's3-plan')!;
    expect(itemsProblem(planStep, [], s.steps)).toBe('items must list at least one item');
    expect(itemsProblem(planStep, [item(1, t0), item(1, t0)], s.steps)).toBe('items[1].no 1 appears twice');
    expect(itemsProblem(planStep, [{ ...item(0, t0) }], s.steps)).toBe('items[0].no must be a positive integer');
    expect(itemsProblem(planStep, [{ ...item(1, t0), dueAt: 'soon' }], s.steps)).toBe(
      'items[0].dueAt "soon" is not an ISO instant',
    );
    s.steps.push(itemStep(planStep, item(1, t0), t0));
    expect(itemsProblem(planStep, [item(1, t0)], s.steps)).toBe('item 1 of step "s3-plan" is already registered');
    expect(itemsProblem(planStep, [item(2, t0)], s.steps)).toBeUndefined();
  });

  it('derives the attendance rule from attendance_hours deliverables and words the event', () => {
    expect(attendanceRules(input)).toEqual([]);
    const withHours = {
      ...input,
      plan: {
        ...plan,
        stages: plan.stages.map((st, i) =>
          i === 2
            ? {
                ...st,
                steps: st.steps.map((x, j) =>
                  j === 0
                    ? {
                        ...x,
                        deliverables: [
                          ...x.deliverables,
                          { key: 'h', kind: 'attendance_hours' as const, title: '学时', required: false, minHours: 48 },
                        ],
                      }
                    : x,
                ),
              }
            : st,
        ),
      },
    };
    expect(attendanceRules(withHours)).toEqual([
      { stageIndex: 2, stageKey: 's3', stageTitle: '整改落实', minHours: 48, closesAtMs: t0 + 90 * DAY },
    ]);
    expect(attendanceSummary({ stageTitle: '整改落实' }, 36, 48)).toBe(
      'Attendance 36 of 48 hours at the close of 整改落实: below the minimum',
    );
    expect(attendanceSummary({ stageTitle: '整改落实' }, 48, 48, true)).toBe(
      'Attendance 48 of 48 hours on leaving 整改落实: the minimum is met',
    );
  });
});

import type { ConfigService } from '@nestjs/config';
import type { AuthUser } from '../../../apps/api/src/auth/roles';
import type { UnitAccessService } from '../../../apps/api/src/auth/unit-access.service';
import type { TaskFilter, TaskRepository, TaskRow } from '../../../apps/api/src/portal/task.repository';
import { TasksService } from '../../../apps/api/src/portal/tasks.service';
import type { StepContextService } from '../../../apps/api/src/submissions/step-context';
import type { ReadableUnits, UnitRef, UnitRepository } from '../../../apps/api/src/units/unit.repository';
import type { Env } from '../../../libs/config/src';
import { DomainError, ErrorCode } from '../../../libs/domain/src';
import { asReal } from '../../support/fakes';
import { HOUR, DAY } from '../../support/time';

/** Tuesday 2026-03-10 09:00 in Shanghai. */
const NOW = new Date('2026-03-10T01:00:00Z');

const UNIT_A = '00000000-0000-4000-8000-00000000000a';
const PARENT = '00000000-0000-4000-8000-0000000000b0';

function row(stepKey: string, status: TaskRow['status'], dueAt: Date, extra: Partial<TaskRow> = {}): TaskRow {
  return {
    cycleId: 'c-1',
    unitId: UNIT_A,
    stepKey,
    stageKey: 'study',
    title: `title of ${stepKey}`,
    required: true,
    status,
    opensAt: new Date(+dueAt - 20 * DAY),
    dueAt,
    escalationLevel: 0,
    cycleName: '2026 学习实践活动',
    timeZone: 'Asia/Shanghai',
    campaignName: '深入学习实践科学发展观活动',
    stageTitle: '学习调研',
    unitCode: 'A-支部',
    unitName: 'A 支部',
    submissionId: null,
    submissionStatus: null,
    currentVersion: 0,
    reviewComment: null,
    returnedAt: null,
    ...extra,
  };
}

/** The sut with fake repositories: the task rows and units are what the test gives; access is a secretary's. */
function newSut(rows: TaskRow[], refs: UnitRef[] = []) {
  const tasks = { list: jest.fn(async (_f: TaskFilter, _limit: number) => rows), find: jest.fn(async () => rows[0]) };
  const units = {
    idOfRef: jest.fn(async (_ref: string): Promise<string | undefined> => undefined),
    refs: jest.fn(async (_r: ReadableUnits, _first: string, _limit: number) => refs),
  };
  const access = {
    assertRead: jest.fn(async () => undefined),
    canWrite: jest.fn(() => true),
    readableUnitsFilter: jest.fn((_user: AuthUser, column: string, first: number) => ({
      sql: `${column} IN (subtree of $${first})`,
      params: [PARENT],
    })),
  };
  const sut = new TasksService(
    asReal<TaskRepository>(tasks),
    asReal<UnitRepository>(units),
    asReal<UnitAccessService>(access),
    asReal<StepContextService>({}),
    asReal<ConfigService<Env, true>>({}),
  );
  return { sut, tasks, units, access };
}

const secretary: AuthUser = {
  id: 'u-sec',
  email: 'sec@p.example.cn',
  displayName: '书记',
  roles: ['unit_secretary'],
  unitId: PARENT,
};
const office: AuthUser = {
  id: 'u-off',
  email: 'office@example.cn',
  displayName: '办公室',
  roles: ['office_admin'],
  unitId: null,
};

describe('TasksService (fake repositories)', () => {
  it('orders the rows by bucket (the unit’s pen first), keeping due order within one, with days in words', async () => {
    const { sut } = newSut([
      row('s-open-late', 'open', new Date(+NOW - 2 * DAY + HOUR)),
      row('s-submitted', 'submitted', new Date(+NOW + DAY)),
      row('s-due-soon', 'open', new Date(+NOW + 3 * DAY)),
      row('s-returned', 'returned', new Date(+NOW + 4 * DAY), {
        submissionId: 'sub-1',
        submissionStatus: 'returned',
        currentVersion: 2,
        reviewComment: '请补充',
        returnedAt: new Date(+NOW - DAY),
      }),
      row('s-open', 'open', new Date(+NOW + 10 * DAY)),
      row('s-pending', 'pending', new Date(+NOW + 60 * DAY)),
    ]);
    const list = await sut.list({}, secretary, NOW);
    expect(list.tasks.map((t) => [t.stepKey, t.bucket, t.daysLeft, t.daysOverdue])).toEqual([
      ['s-open-late', 'overdue', 0, 2],
      ['s-returned', 'returned', 4, 0],
      ['s-due-soon', 'due_soon', 3, 0],
      ['s-open', 'open', 10, 0],
      ['s-submitted', 'submitted', 1, 0],
      ['s-pending', 'upcoming', 60, 0],
    ]);
    expect(list.tasks[1]).toMatchObject({
      submissionId: 'sub-1',
      submissionStatus: 'returned',
      currentVersion: 2,
      reviewComment: '请补充',
      returnedAt: new Date(+NOW - DAY).toISOString(),
    });
    expect(list.now).toBe(NOW.toISOString());
  });

  it('asks for active steps by default and for every step with scope=all, within what the caller may read', async () => {
    const { sut, tasks, access } = newSut([]);
    await sut.list({}, secretary, NOW);
    await sut.list({ scope: 'all', unitId: UNIT_A }, secretary, NOW);
    expect(tasks.list.mock.calls.map(([f, limit]) => [f.activeOnly, f.unitId, limit])).toEqual([
      [true, null, 1000],
      [false, UNIT_A, 1000],
    ]);
    expect(access.assertRead.mock.calls).toEqual([[secretary, UNIT_A]]);
    // the repository places the caller's scope on its column; the rule is the access service's
    expect(tasks.list.mock.calls[1][0].readable('s.unit_id', 2)).toEqual({
      sql: 's.unit_id IN (subtree of $2)',
      params: [PARENT],
    });
    expect(access.readableUnitsFilter).toHaveBeenLastCalledWith(secretary, 's.unit_id', 2);
  });

  it('lists the secretary’s units, their own marked; an office account (no unit) gets none without a query', async () => {
    const { sut, units } = newSut(
      [],
      [
        { id: PARENT, code: 'P-总支', name: 'P 总支' },
        { id: UNIT_A, code: 'A-支部', name: 'A 支部' },
      ],
    );
    expect((await sut.list({}, secretary, NOW)).units).toEqual([
      { id: PARENT, code: 'P-总支', name: 'P 总支', own: true },
      { id: UNIT_A, code: 'A-支部', name: 'A 支部', own: false },
    ]);
    expect(units.refs.mock.calls.map(([, first, limit]) => [first, limit])).toEqual([[PARENT, 1000]]);
    expect((await sut.list({}, office, NOW)).units).toEqual([]);
    expect(units.refs).toHaveBeenCalledTimes(1);
  });

  it('a task page of an unknown unit is a 404 before any step is read', async () => {
    const { sut, tasks, access } = newSut([row('s1', 'open', new Date(+NOW + DAY))]);
    const error = await sut.detail('c-1', 'no-such-unit', 's1', secretary, NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.NotFound);
    expect((error as DomainError).message).toMatch(/unit no-such-unit/);
    expect(tasks.find).not.toHaveBeenCalled();
    expect(access.assertRead).not.toHaveBeenCalled();
  });
});

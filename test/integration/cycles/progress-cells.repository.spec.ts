import { randomUUID } from 'node:crypto';
import { ProgressCellsRepository } from '../../../libs/persistence/src/repositories/progress-cells.repository';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { DAY, DAY_S } from '../../support/time';

const T0 = '2026-03-01T00:00:00.000Z';
const at = (days: number) => new Date(Date.parse(T0) + days * DAY).toISOString();
const plan = (steps: { key: string; dueDay: number }[]) => ({
  stages: [
    {
      key: 'study',
      title: '学习调研',
      steps: steps.map((s) => ({ key: s.key, title: s.key, opensAt: T0, dueAt: at(s.dueDay) })),
    },
  ],
});

/** The matrix's compact cells, written by the repository every writer uses (real PostgreSQL, no api). */
describe('ProgressCellsRepository', () => {
  let db: TestDatabase;
  let cells: ProgressCellsRepository;
  const cycleId = randomUUID();
  const unitIds: Record<string, string> = { S1: randomUUID(), S2: randomUUID(), K1: randomUUID(), G1: randomUUID() };
  const stored = async () =>
    Object.fromEntries(
      (
        await db.query<{ code: string; cells: string; cell_due: number[] | null }>(
          'SELECT u.code, cu.cells, cu.cell_due FROM cycle_unit cu JOIN unit u ON u.id = cu.unit_id WHERE cu.cycle_id = $1 ORDER BY u.code',
          [cycleId],
        )
      ).map((r) => [r.code, [r.cells, r.cell_due]]),
    );

  beforeAll(async () => {
    db = await createTestDatabase();
    cells = new ProgressCellsRepository(db);
    const templateId = randomUUID();
    await db.query(
      `INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES ($1, 'cells', 1, 'cells', '{}', 'cells', 'api')`,
      [templateId],
    );
    await db.query(
      `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
       VALUES ($1, 'cells', $2, 'cells', 1, $3, 'Asia/Shanghai', 'running', '{}', $4, $4, 4)`,
      [cycleId, templateId, T0, `cells-${cycleId}`],
    );
    await db.query(
      `INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, 'school', $2), ($1, 'kindergarten', $3)`,
      [
        cycleId,
        JSON.stringify(
          plan([
            { key: 'a', dueDay: 10 },
            { key: 'b', dueDay: 20 },
            { key: 'c', dueDay: 30 },
          ]),
        ),
        JSON.stringify(
          plan([
            { key: 'a', dueDay: 12 },
            { key: 'c', dueDay: 30 },
          ]),
        ),
      ],
    );
    const kinds: Record<string, string> = { S1: 'school', S2: 'school', K1: 'kindergarten', G1: 'general_branch' };
    for (const [i, [code, id]] of Object.entries(unitIds).entries()) {
      await db.query(`INSERT INTO unit (id, code, name, kind) VALUES ($1, $2, $2, $3)`, [id, code, kinds[code]]);
      await db.query(
        `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status, cells) VALUES ($1, $2, $3, $4, $5, 'running', 'kept')`,
        [cycleId, id, i, kinds[code], `cells/${code}`],
      );
    }
    const step = (code: string, key: string, status: string, dueDay: number, escalation = 0) =>
      db.query(
        `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at, original_due_at, escalation_level, on_bulletin, seq)
         VALUES ($1, $2, $3, 'study', $4, true, $5, $6, $7, $7, $8, false, 1)`,
        [cycleId, unitIds[code], key, key, status, T0, at(dueDay), escalation],
      );
    await step('S1', 'a', 'accepted', 10);
    await step('S1', 'b', 'open', 20, 2);
    await step('S1', 'c', 'pending', 30);
    await step('S2', 'a', 'returned', 10);
    await step('S2', 'b', 'open', 21); // extended by a day; no row for c yet
    await step('K1', 'a', 'waived', 12);
    await step('K1', 'c', 'returned', 30, 2);
    await cells.fillPlanSteps(cycleId);
    // A plan written by something other than the cycle start has no step keys: its units' cells stay as they are.
    await db.query(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, 'general_branch', $2)`, [
      cycleId,
      JSON.stringify(plan([{ key: 'a', dueDay: 10 }])),
    ]);
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('fills each plan’s step keys and due offsets (seconds after the cycle start) in plan order', async () => {
    expect(
      await db.query('SELECT unit_kind, step_keys, step_due FROM cycle_plan WHERE cycle_id = $1 ORDER BY unit_kind', [
        cycleId,
      ]),
    ).toEqual([
      { unit_kind: 'general_branch', step_keys: [], step_due: [] },
      { unit_kind: 'kindergarten', step_keys: ['a', 'c'], step_due: [12 * DAY_S, 30 * DAY_S] },
      { unit_kind: 'school', step_keys: ['a', 'b', 'c'], step_due: [10 * DAY_S, 20 * DAY_S, 30 * DAY_S] },
    ]);
  });

  it('refreshes only the units named', async () => {
    await cells.refreshUnits(cycleId, [unitIds.S2]);
    expect(await stored()).toEqual({
      G1: ['kept', null],
      K1: ['kept', null],
      S1: ['kept', null],
      S2: ['ro-', [10 * DAY_S, 21 * DAY_S, 30 * DAY_S]],
    });
  });

  it('refreshes the whole cycle in one statement: codes per status and escalation, own dues only where they differ', async () => {
    await cells.refreshCycle(cycleId);
    expect(await stored()).toEqual({
      G1: ['kept', null],
      K1: ['wR', null],
      S1: ['aO0', null],
      S2: ['ro-', [10 * DAY_S, 21 * DAY_S, 30 * DAY_S]],
    });
  });
});

import { startCycleStack, cycleTemplateDocument } from './cycles.fixture';
import type { TestStack } from '../../support/test-stack';
import { DAY } from '../../support/time';
import { eventually } from '../../support/eventually';

const TASK_QUEUE = 'progress-at-start';

/** Stage 1 has a step whose window opens five days in, so the first read model has open and not-open steps in it. */
const template = {
  ...cycleTemplateDocument,
  key: 'it-progress-at-start',
  stages: [
    {
      ...cycleTemplateDocument.stages[0],
      steps: [
        ...cycleTemplateDocument.stages[0].steps,
        {
          key: 'study-talk',
          title: '专题党课',
          opens: { after: 'P5D' },
          due: { after: 'P20D' },
          deliverables: [{ key: 'minutes', kind: 'meeting_minutes', title: '党课记录' }],
        },
      ],
    },
    cycleTemplateDocument.stages[1],
  ],
};

/**
 * The start transaction writes every unit's step rows, so progress is complete when the start answers — here before
 * any worker polls, i.e. before a single unit workflow exists — and the workflows' own writes later agree with it.
 */
describe('progress is complete when the start answers (time-skipping Temporal, real worker, real PostgreSQL)', () => {
  let stack: TestStack;
  const http = () => stack.asOffice();
  const rows = (cycleId: string) =>
    stack.db.query(
      `SELECT u.code, s.step_key, s.stage_key, s.status, s.opens_at, s.due_at, s.original_due_at, s.required, s.seq, s.opened_at
         FROM unit_step_status s JOIN unit u ON u.id = s.unit_id WHERE s.cycle_id = $1 ORDER BY u.code, s.opens_at, s.step_key`,
      [cycleId],
    );

  beforeAll(async () => {
    stack = await startCycleStack(TASK_QUEUE, { template, workers: false });
  });

  afterAll(() => stack?.close());

  it('answers with every unit × step row written, before any unit workflow ran; the workflows then only overwrite them consistently', async () => {
    const t0 = Math.floor((await stack.env.currentTimeMs()) / 1000) * 1000;
    const before = Date.now();
    const res = await http()
      .post('/api/cycles')
      .send({
        templateKey: template.key,
        name: '进度即时完整',
        startsAt: new Date(t0).toISOString(),
        units: { subtreeOf: 'xh-gb1', kinds: ['school', 'kindergarten'] },
      })
      .expect(201);
    const answered = Date.now();
    const cycleId: string = res.body.id;

    // No worker polls yet: not one unit workflow has started, and still every step of every unit is there.
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM unit_event WHERE cycle_id = $1`, [cycleId])).toEqual([
      { n: 0 },
    ]);
    const progress = (await http().get(`/api/cycles/${cycleId}/progress`).expect(200)).body;
    expect(progress).toMatchObject({
      unitCount: 3,
      units: { started: 0, byStatus: { pending: 3 } },
      overdue: { total: 0 },
    });
    expect(progress.steps).toEqual([
      { stepKey: 'study-record', stageKey: 'study', title: '学习交流记录', total: 3, byStatus: { open: 3 } },
      { stepKey: 'study-talk', stageKey: 'study', title: '专题党课', total: 3, byStatus: { pending: 3 } },
      { stepKey: 'analysis-report', stageKey: 'analysis', title: '分析检查报告', total: 3, byStatus: { pending: 3 } },
    ]);
    expect(progress.stages).toEqual([
      { stageKey: 'study', unitsInStage: 3, steps: { open: 3, pending: 3 } },
      { stageKey: 'analysis', unitsInStage: 0, steps: { pending: 3 } },
    ]);
    const initial = await rows(cycleId);
    expect(initial).toHaveLength(9);
    for (const r of initial) {
      expect(r.seq).toBe(0);
      const expected = {
        'study-record': { status: 'open', opens: t0, due: t0 + 10 * DAY },
        'study-talk': { status: 'pending', opens: t0 + 5 * DAY, due: t0 + 20 * DAY },
        'analysis-report': { status: 'pending', opens: t0 + 30 * DAY, due: t0 + 50 * DAY },
      }[r.step_key as string]!;
      expect([r.status, +r.opens_at, +r.due_at, +r.original_due_at, r.required]).toEqual([
        expected.status,
        expected.opens,
        expected.due,
        expected.due,
        true,
      ]);
      // An open step counts as opened at the start instant (its window opened at t0 ≤ the request).
      if (r.status === 'open') expect(+r.opened_at).toBeGreaterThanOrEqual(before - 1000);
      if (r.status === 'open') expect(+r.opened_at).toBeLessThanOrEqual(answered);
      else expect(r.opened_at).toBeNull();
    }
    expect(await stack.db.query(`SELECT current_stage, status FROM cycle_unit WHERE cycle_id = $1`, [cycleId])).toEqual(
      Array(3).fill({ current_stage: 'study', status: 'pending' }),
    );

    // Now the workers run: every unit workflow writes its first transition over the rows, which keep their meaning.
    await stack.startWorkers();
    await eventually(
      () => rows(cycleId),
      (rs) => rs.every((r: { seq: number }) => r.seq > 0),
    );
    const written = await rows(cycleId);
    const meaning = (r: Record<string, unknown>) => ({
      code: r.code,
      step: r.step_key,
      stage: r.stage_key,
      status: r.status,
      opens: +(r.opens_at as Date),
      due: +(r.due_at as Date),
      required: r.required,
    });
    expect(written.map(meaning)).toEqual(initial.map(meaning));
    const after = (await http().get(`/api/cycles/${cycleId}/progress`).expect(200)).body;
    expect(
      await eventually(
        async () => (await http().get(`/api/cycles/${cycleId}/progress`).expect(200)).body,
        (p) => p.units.started === 3,
      ),
    ).toMatchObject({
      steps: progress.steps,
      stages: progress.stages,
    });
    expect(after.steps).toEqual(progress.steps);
  });
});

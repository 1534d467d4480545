import { startCycleStack } from './cycles.fixture';
import type { TestStack } from '../../support/test-stack';
import { HOUR, DAY } from '../../support/time';
import { eventually } from '../../support/eventually';

const TASK_QUEUE = 'cycles-bulletin';

/**
 * Overdue and bulletin lists as time passes (time-skipping server, real worker): one unit keeps its step open past
 * due until the escalation ladder reaches the office rung, which puts it on the cycle's bulletin list (通报).
 * A file of its own: skipping weeks here must not run into other tests' workflows.
 */
describe('cycle progress: overdue and bulletin over weeks of workflow time', () => {
  let stack: TestStack;
  // The office imports, starts, drives and reads the cycle (office_admin).
  const http = () => stack.asOffice();

  beforeAll(async () => {
    stack = await startCycleStack(TASK_QUEUE);
  });

  afterAll(() => stack?.close());

  it('lists the late unit as overdue with its escalation level, then on the bulletin once the office rung is reached', async () => {
    const t0 = Math.floor((await stack.env.currentTimeMs()) / 1000) * 1000;
    const started = await http()
      .post('/api/cycles')
      .send({
        templateKey: 'it-two-stage',
        name: '通报测试',
        startsAt: new Date(t0).toISOString(),
        units: { codes: ['xh-s01', 'xh-s02'] },
      })
      .expect(201);
    const id = started.body.id;
    const progress = (atMs: number) =>
      http()
        .get(`/api/cycles/${id}/progress?asOf=${encodeURIComponent(new Date(atMs).toISOString())}`)
        .expect(200)
        .then((r) => r.body);
    await eventually(
      () => progress(t0),
      (p) => p.units.started === 2,
    ); // the rows are open from the start; the workflows must exist to take a submission
    await http().post(`/api/cycles/${id}/units/xh-s01/steps/study-record/submit`).send({}).expect(200);
    await http()
      .post(`/api/cycles/${id}/units/xh-s01/steps/study-record/review`)
      .send({ decision: 'accept' })
      .expect(200);

    // study-record is due t0+10d; rungs: due → unit, +3d → parent, +7d → office and bulletin.
    const afterParentRung = t0 + 14 * DAY + HOUR;
    await stack.env.sleep(afterParentRung - (await stack.env.currentTimeMs()));
    const p1 = await eventually(
      () => progress(afterParentRung),
      (p) => p.overdue.items[0]?.escalationLevel === 2,
    );
    expect(p1.overdue).toMatchObject({ total: 1, shown: 1 });
    expect(
      p1.overdue.items.map((o: any) => [o.unitCode, o.stepKey, o.status, o.daysOverdue, o.escalationLevel]),
    ).toEqual([['xh-s02', 'study-record', 'open', 4, 2]]);
    expect(p1.bulletin).toEqual([]);

    const afterOfficeRung = t0 + 17 * DAY + HOUR;
    await stack.env.sleep(afterOfficeRung - (await stack.env.currentTimeMs()));
    const p2 = await eventually(
      () => progress(afterOfficeRung),
      (p) => p.bulletin.length === 1,
    );
    expect(p2.bulletin).toEqual([
      { unitId: expect.any(String), unitCode: 'xh-s02', unitName: '第二中学党支部', stepKeys: ['study-record'] },
    ]);
    expect(p2.overdue.items.map((o: any) => [o.unitCode, o.daysOverdue, o.escalationLevel])).toEqual([
      ['xh-s02', 7, 3],
    ]);
    expect(p2.steps[0]).toEqual({
      stepKey: 'study-record',
      stageKey: 'study',
      title: '学习交流记录',
      total: 2,
      byStatus: { open: 1, accepted: 1 },
    });
    const notices = await stack.db.query(
      `SELECT n.kind, n.audience, n.rung FROM notice n JOIN unit u ON u.id = n.unit_id WHERE u.code = 'xh-s02' ORDER BY n.scheduled_for, n.id`,
    );
    expect(notices).toEqual([
      { kind: 'reminder', audience: 'unit', rung: 0 },
      { kind: 'due', audience: 'unit', rung: 0 },
      { kind: 'escalation', audience: 'parent', rung: 1 },
      { kind: 'escalation', audience: 'office', rung: 2 },
    ]);
  });
});

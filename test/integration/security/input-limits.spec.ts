import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { insertUnit, LoggedIn, loginAs } from '../../support/auth';
import { insertCycle } from '../../support/cycle-fixtures';
import { useTestApi } from '../../support/test-stack';

const item = (i: number) => ({
  goal: `目标${i}`,
  project: `项目${i}`,
  deadline: '2027-07-15',
  measures: '措施',
  responsible: '书记',
});

/** A valid one-stage template with `steps` steps (each one workflow step per unit). */
function templateWithSteps(steps: number) {
  return {
    key: 'huge',
    name: '超大模板',
    referenceYear: 2027,
    stages: [
      {
        key: 'only',
        title: '唯一阶段',
        window: { opens: '2027-03-01', closes: '2027-12-31' },
        steps: Array.from({ length: steps }, (_, i) => ({
          key: `s${i}`,
          title: `步骤${i}`,
          due: '2027-06-30',
          deliverables: [{ key: 'r', kind: 'report', title: '报告' }],
        })),
      },
    ],
  };
}

/** Unbounded or impossible input is refused with a 400 naming the field, and nothing is written. */
describe('limits on list lengths, template size, attendance per entry and per day, YAML aliases', () => {
  const stack = useTestApi();
  let cycleId: string, unitA: string;
  let secA: LoggedIn, office: LoggedIn;
  const http = () => request(stack.api.getHttpServer());
  const details = (res: request.Response) =>
    res.body.details.map((d: { field: string; problem: string }) => `${d.field}: ${d.problem}`);

  beforeAll(async () => {
    unitA = await insertUnit(stack.api, 'limits-a');
    cycleId = await insertCycle(stack.db.dataSource, [unitA]);
    secA = await loginAs(stack.api, 'unit_secretary', unitA);
    office = await loginAs(stack.api, 'office_admin');
  });

  it('caps the items of a rectification plan (each becomes a workflow step) with a 400 naming the field', async () => {
    const plan = (n: number) => ({
      cycleId,
      unitId: unitA,
      stepKey: 'rectification-plan',
      deliverables: [
        { key: 'plan', kind: 'plan_with_items', fields: { items: Array.from({ length: n }, (_, i) => item(i)) } },
      ],
    });
    const tooMany = await http()
      .post('/api/submissions')
      .set(secA.headers)
      .set('Idempotency-Key', randomUUID())
      .send(plan(201))
      .expect(400);
    expect(details(tooMany)).toEqual([
      'deliverables[0].fields.items: must list at most 200 items (each becomes a workflow step)',
    ]);
    // 20,000 items do not even get parsed: the body is over the 1 MiB limit
    await http()
      .post('/api/submissions')
      .set(secA.headers)
      .set('Idempotency-Key', randomUUID())
      .send(plan(20_000))
      .expect(413);
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM submission`)).toEqual([{ n: 0 }]);
    await http()
      .post('/api/submissions')
      .set(secA.headers)
      .set('Idempotency-Key', randomUUID())
      .send(plan(200))
      .expect(201);
  });

  it('refuses more than 24 hours of attendance on one date (three 24-hour entries)', async () => {
    const [{ day }] = await stack.db.query(
      `SELECT to_char((starts_at AT TIME ZONE time_zone)::date + 1, 'YYYY-MM-DD') AS day FROM campaign_cycle WHERE id = $1`,
      [cycleId],
    );
    const log = (hours: number, date = day) =>
      http()
        .post(`/api/cycles/${cycleId}/units/${unitA}/attendance`)
        .set(secA.headers)
        .set('Idempotency-Key', randomUUID())
        .send({ date, hours, members: 10, title: '集中学习' });
    await log(24).expect(201);
    const second = await log(24).expect(400);
    expect(details(second)).toEqual([
      `hours: ${day} already has 24 hours logged; at most 24 hours a day (24 more would make 48)`,
    ]);
    await log(0.25).expect(400);
    const tooLong = await log(25).expect(400);
    expect(details(tooLong)).toEqual(['hours: must be at most 24 hours (one activity, one day)']);
    expect(await stack.db.query(`SELECT count(*)::int AS n, sum(hours)::float8 AS h FROM attendance_entry`)).toEqual([
      { n: 1, h: 24 },
    ]);
  });

  it('caps the steps of a template (10,000 steps) with a 400 naming the field', async () => {
    const huge = await http()
      .post('/api/templates/validate')
      .set(office.headers)
      .send({ document: templateWithSteps(10_000) })
      .expect(400);
    expect(details(huge)).toEqual([expect.stringMatching(/^document: is \d+ characters long; at most 262144$/)]);
    const res = await http()
      .post('/api/templates/validate')
      .set(office.headers)
      .send({ document: templateWithSteps(101) })
      .expect(400);
    expect(details(res)).toEqual(['stages[0].steps: must list at most 100 steps']);
    await http()
      .post('/api/templates/validate')
      .set(office.headers)
      .send({ document: templateWithSteps(100) })
      .expect(200);
  });

  it('answers a YAML alias bomb with 400 naming the problem, not 500', async () => {
    let yaml = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 0, prev = 'a'; i < 9; prev = `l${i}`, i++)
      yaml += `l${i}: &l${i} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
    const res = await http()
      .post('/api/templates/validate')
      .set(office.headers)
      .set('Content-Type', 'application/yaml')
      .send(yaml)
      .expect(400);
    expect(details(res)).toEqual([
      'document: YAML aliases expand too much (more than 100 alias uses): refused as a resource-exhaustion attempt',
    ]);
    const saved = await http()
      .post('/api/templates')
      .set(office.headers)
      .set('Content-Type', 'application/yaml')
      .send(yaml)
      .expect(400);
    expect(saved.body.details).toEqual(res.body.details);
  });

  it('caps the size of a template document', async () => {
    const long = { ...templateWithSteps(1), description: 'x'.repeat(10_001) };
    expect(
      details(await http().post('/api/templates/validate').set(office.headers).send({ document: long }).expect(400)),
    ).toEqual(['description: must be at most 10000 characters']);
    const yaml = `key: big\nname: 大\nreferenceYear: 2027\nstages: []\n# ${'x'.repeat(300_000)}\n`;
    const res = await http()
      .post('/api/templates/validate')
      .set(office.headers)
      .set('Content-Type', 'application/yaml')
      .send(yaml)
      .expect(400);
    expect(details(res)).toEqual([`document: is ${yaml.length} characters long; at most 262144`]);
  });
});

describe('limits on a unit import', () => {
  const stack = useTestApi();
  let office: LoggedIn;

  beforeAll(async () => {
    office = await loginAs(stack.api, 'office_admin');
  });

  it('refuses more than 100,000 rows and more than 20 contacts per unit, naming the field', async () => {
    const units = Array.from({ length: 100_001 }, (_, i) => ({ code: `u${i}`, name: 'n', kind: 'school' }));
    const rows = await request(stack.api.getHttpServer())
      .post('/api/units/import')
      .set(office.headers)
      .send({ units })
      .expect(400);
    expect(rows.body.details).toEqual([
      { field: 'units', problem: 'must list at most 100000 units (got 100001); split the import' },
    ]);
    const contacts = Array.from({ length: 21 }, (_, i) => ({ name: `联系人${i}` }));
    const many = await request(stack.api.getHttpServer())
      .post('/api/units/import')
      .set(office.headers)
      .send({ units: [{ code: 'c', name: 'n', kind: 'school', contacts }] })
      .expect(400);
    expect(many.body.details).toEqual([{ field: 'rows[0].contacts', problem: 'must list at most 20 contacts' }]);
    expect(await stack.db.query(`SELECT count(*)::int AS n FROM unit`)).toEqual([{ n: 0 }]);
  });
});

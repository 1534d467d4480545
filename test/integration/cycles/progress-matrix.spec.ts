import request from 'supertest';
import { loginAs } from '../../support/auth';
import { startCycleStack } from './cycles.fixture';
import type { TestStack } from '../../support/test-stack';
import { HOUR, DAY } from '../../support/time';
import { eventually } from '../../support/eventually';

const TASK_QUEUE = 'progress-matrix';

/** The compact progress matrix over a cycle driven by real workflows (time-skipping Temporal, real PostgreSQL). */
describe('GET /api/cycles/:id/progress/matrix', () => {
  let stack: TestStack;
  let t0: number;
  let id: string;
  const http = () => stack.asOffice();
  const matrix = (query = '') =>
    http()
      .get(`/api/cycles/${id}/progress/matrix${query}`)
      .expect(200)
      .then((r) => r.body);
  /** The filters below read the matrix at the workflow time the escalation test moved to (the server's clock is ahead of ours). */
  const atEscalation = () => `asOf=${encodeURIComponent(new Date(t0 + 14 * DAY + HOUR).toISOString())}`;
  const rowsOf = (m: { units: { code: string; cells: string }[] }) => m.units.map((u) => [u.code, u.cells]);

  beforeAll(async () => {
    stack = await startCycleStack(TASK_QUEUE);
    t0 = Math.floor((await stack.env.currentTimeMs()) / 1000) * 1000;
    const res = await http()
      .post('/api/cycles')
      .send({
        templateKey: 'it-two-stage',
        name: '矩阵',
        startsAt: new Date(t0).toISOString(),
        units: { codes: ['xh-k01', 'xh-s01', 'xh-s02', 'xh-u01'] },
      })
      .expect(201);
    id = res.body.id;
    await eventually(
      () =>
        http()
          .get(`/api/cycles/${id}/progress`)
          .then((r) => r.body),
      (p) => p.units.started === 4,
    );
    const step = (unit: string, verb: string, body: object = {}) =>
      http().post(`/api/cycles/${id}/units/${unit}/steps/study-record/${verb}`).send(body).expect(200);
    await step('xh-k01', 'submit');
    await step('xh-k01', 'review', { decision: 'accept' });
    await step('xh-s01', 'submit');
    await step('xh-u01', 'submit');
    await step('xh-u01', 'review', { decision: 'return', comment: '请补充学习记录' });
    await eventually(
      () => matrix(),
      (m) => m.units.map((u: { cells: string }) => u.cells[0]).join('') === 'asor',
    );
  });

  afterAll(() => stack?.close());

  it('gives the columns once, one status character per cell, and totals per stage and kind', async () => {
    const m = await matrix(`?asOf=${encodeURIComponent(new Date(t0 + DAY).toISOString())}`);
    expect(m.legend).toMatchObject({
      '0': 'not_open',
      o: 'open',
      s: 'submitted',
      r: 'returned',
      a: 'accepted',
      d: 'due_soon',
      x: 'overdue',
      e: 'escalated',
      w: 'waived',
    });
    expect(m.steps).toEqual([
      {
        key: 'study-record',
        stageKey: 'study',
        title: '学习交流记录',
        opensAt: new Date(t0).toISOString(),
        dueAt: new Date(t0 + 10 * DAY).toISOString(),
      },
      {
        key: 'analysis-report',
        stageKey: 'analysis',
        title: '分析检查报告',
        opensAt: new Date(t0 + 30 * DAY).toISOString(),
        dueAt: new Date(t0 + 50 * DAY).toISOString(),
      },
    ]);
    expect(m.stages).toEqual([
      { key: 'study', title: '学习调研', firstColumn: 0, columns: 1 },
      { key: 'analysis', title: '分析检查', firstColumn: 1, columns: 1 },
    ]);
    expect(m.units.map((u: any) => [u.code, u.kind, u.stage, u.cells])).toEqual([
      ['xh-k01', 'kindergarten', 'analysis', 'a0'],
      ['xh-s01', 'school', 'study', 's0'],
      ['xh-s02', 'school', 'study', 'o0'],
      ['xh-u01', 'university', 'study', 'r0'],
    ]);
    expect(m.totals).toEqual({
      units: 4,
      byStage: {
        study: { cells: 4, byStatus: { accepted: 1, submitted: 1, open: 1, returned: 1 } },
        analysis: { cells: 4, byStatus: { not_open: 4 } },
      },
      byKind: {
        kindergarten: { cells: 2, byStatus: { accepted: 1, not_open: 1 } },
        school: { cells: 4, byStatus: { submitted: 1, open: 1, not_open: 2 } },
        university: { cells: 2, byStatus: { returned: 1, not_open: 1 } },
      },
    });
  });

  it('evaluates due soon, overdue and escalated at asOf; waiting steps only', async () => {
    // Due t0+10d: at t0+8d it is within the default 72 h, at t0+5d only with a wider window, at t0+11d overdue.
    expect(
      rowsOf(await matrix(`?asOf=${encodeURIComponent(new Date(t0 + 8 * DAY).toISOString())}`)).map((r) => r[1]),
    ).toEqual(['a0', 's0', 'd0', 'd0']);
    expect(
      rowsOf(
        await matrix(`?dueSoonHours=120&asOf=${encodeURIComponent(new Date(t0 + 5 * DAY + HOUR).toISOString())}`),
      ).map((r) => r[1]),
    ).toEqual(['a0', 's0', 'd0', 'd0']);
    expect(
      rowsOf(await matrix(`?asOf=${encodeURIComponent(new Date(t0 + 11 * DAY).toISOString())}`)).map((r) => r[1]),
    ).toEqual(['a0', 's0', 'x0', 'x0']);
    // Workflow time past the parent rung (+3 d): the waiting steps are escalated (escalation level 2).
    const afterParentRung = t0 + 14 * DAY + HOUR;
    await stack.env.sleep(afterParentRung - (await stack.env.currentTimeMs()));
    const m = await eventually(
      () => matrix(`?asOf=${encodeURIComponent(new Date(afterParentRung).toISOString())}`),
      (x) => x.units[2].cells === 'e0' && x.units[3].cells === 'e0',
    );
    expect(rowsOf(m)).toEqual([
      ['xh-k01', 'a0'],
      ['xh-s01', 's0'],
      ['xh-s02', 'e0'],
      ['xh-u01', 'e0'],
    ]);
    expect(m.totals.byStage.study).toEqual({ cells: 4, byStatus: { accepted: 1, submitted: 1, escalated: 2 } });
  });

  it('filters by status, kind, subtree, search and stage, and pages; totals follow the filters, not the page', async () => {
    expect(rowsOf(await matrix(`?status=escalated,submitted&${atEscalation()}`))).toEqual([
      ['xh-s01', 's0'],
      ['xh-s02', 'e0'],
      ['xh-u01', 'e0'],
    ]);
    expect(rowsOf(await matrix(`?kind=school&${atEscalation()}`))).toEqual([
      ['xh-s01', 's0'],
      ['xh-s02', 'e0'],
    ]);
    expect(rowsOf(await matrix(`?subtree=xh-gb1&kind=school,kindergarten&${atEscalation()}`))).toEqual([
      ['xh-k01', 'a0'],
      ['xh-s01', 's0'],
      ['xh-s02', 'e0'],
    ]);
    expect(rowsOf(await matrix(`?search=${encodeURIComponent('第二')}&${atEscalation()}`))).toEqual([['xh-s02', 'e0']]);
    expect(rowsOf(await matrix(`?search=XH-U&${atEscalation()}`))).toEqual([['xh-u01', 'e0']]);
    expect(rowsOf(await matrix(`?search=%25&${atEscalation()}`))).toEqual([]); // a literal %, not a wildcard
    const analysis = await matrix(`?stage=analysis&${atEscalation()}`);
    expect([analysis.steps.map((s: { key: string }) => s.key), analysis.stages, rowsOf(analysis)]).toEqual([
      ['analysis-report'],
      [{ key: 'analysis', title: '分析检查', firstColumn: 0, columns: 1 }],
      [
        ['xh-k01', '0'],
        ['xh-s01', '0'],
        ['xh-s02', '0'],
        ['xh-u01', '0'],
      ],
    ]);
    const page = await matrix(`?offset=1&limit=2&status=escalated,submitted,accepted&${atEscalation()}`);
    expect([page.offset, page.limit, rowsOf(page), page.totals.units, page.totals.byStage.study.cells]).toEqual([
      1,
      2,
      [
        ['xh-s01', 's0'],
        ['xh-s02', 'e0'],
      ],
      4,
      4,
    ]);
    expect((await matrix(`?status=waived&${atEscalation()}`)).totals).toEqual({
      units: 0,
      byStage: { study: { cells: 0, byStatus: {} }, analysis: { cells: 0, byStatus: {} } },
      byKind: {},
    });
  });

  it('follows a unit’s own extended due date (the plan’s dues stay for the others)', async () => {
    const newDue = new Date(t0 + 30 * DAY).toISOString();
    await http()
      .post(`/api/cycles/${id}/units/xh-u01/extend`)
      .send({ stepKey: 'study-record', newDueAt: newDue, reason: '补充材料' })
      .expect(200);
    const at = (ms: number) => `?asOf=${encodeURIComponent(new Date(ms).toISOString())}`;
    const m = await eventually(
      () => matrix(at(t0 + 14 * DAY + HOUR)),
      (x) => x.units[3].cells === 'r0',
    );
    expect(rowsOf(m)).toEqual([
      ['xh-k01', 'a0'],
      ['xh-s01', 's0'],
      ['xh-s02', 'e0'],
      ['xh-u01', 'r0'],
    ]);
    expect(rowsOf(await matrix(at(t0 + 28 * DAY))).map((r) => r[1])).toEqual(['a0', 's0', 'e0', 'd0']);
    expect(rowsOf(await matrix(at(t0 + 31 * DAY))).map((r) => r[1])).toEqual(['a0', 's0', 'e0', 'x0']);
  });

  it('names every bad parameter in a 400, answers 404 for an unknown cycle, and is for office readers only', async () => {
    const bad = await http()
      .get(`/api/cycles/${id}/progress/matrix?status=late&limit=0&kind=castle&dueSoonHours=-1&extra=1`)
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual([
      'dueSoonHours',
      'extra',
      'kind',
      'limit',
      'status',
    ]);
    expect((await http().get(`/api/cycles/${id}/progress/matrix?stage=nope`).expect(400)).body.details).toEqual([
      { field: 'stage', problem: `no stage "nope" in the cycle's plans (stages: study, analysis)` },
    ]);
    expect((await http().get(`/api/cycles/${id}/progress/matrix?subtree=ghost`).expect(400)).body.details).toEqual([
      { field: 'subtree', problem: 'no unit with code "ghost"' },
    ]);
    await http().get(`/api/cycles/00000000-0000-4000-8000-000000000000/progress/matrix`).expect(404);
    const unitIdOf = async (code: string) =>
      (await stack.db.query('SELECT id FROM unit WHERE code = $1', [code]))[0].id;
    const secretary = await loginAs(stack.api, 'unit_secretary', await unitIdOf('xh-gb1'));
    const auditor = await loginAs(stack.api, 'auditor');
    await request(stack.api.getHttpServer())
      .get(`/api/cycles/${id}/progress/matrix`)
      .set(secretary.headers)
      .expect(403);
    expect(
      (
        await request(stack.api.getHttpServer())
          .get(`/api/cycles/${id}/progress/matrix`)
          .set(auditor.headers)
          .expect(200)
      ).body.totals.units,
    ).toBe(4);
    await request(stack.api.getHttpServer()).get(`/api/cycles/${id}/progress/matrix`).expect(401);
  });

  it('is documented in OpenAPI with a typed answer the console client is generated from', async () => {
    const doc = (await request(stack.api.getHttpServer()).get('/docs/openapi.json').expect(200)).body;
    const op = doc.paths['/api/cycles/{id}/progress/matrix'].get;
    expect(op.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/ProgressMatrixDto',
    });
    expect(op.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'If-None-Match',
      'asOf',
      'dueSoonHours',
      'id',
      'kind',
      'limit',
      'offset',
      'search',
      'stage',
      'status',
      'subtree',
    ]);
    expect(Object.keys(op.responses).sort()).toEqual(['200', '304', '400', '401', '403', '404']);
    const schemas = doc.components.schemas;
    expect(Object.keys(schemas.ProgressMatrixDto.properties).sort()).toEqual([
      'asOf',
      'cycleId',
      'legend',
      'limit',
      'offset',
      'stages',
      'steps',
      'totals',
      'units',
    ]);
    expect(schemas.MatrixTotalsDto.properties.byStage.additionalProperties).toEqual({
      $ref: '#/components/schemas/MatrixCountsDto',
    });
    expect(Object.keys(schemas.MatrixCountsDto.properties).sort()).toEqual(['byStatus', 'cells']);
    expect(schemas.MatrixUnitRowDto.required.sort()).toEqual(['cells', 'code', 'id', 'kind', 'name', 'stage']);
  });

  it('answers 304 to its own ETag until a row of the answer changes or a deadline moves a cell on', async () => {
    const get = (ms: number, etag?: string, query = '') =>
      http()
        .get(`/api/cycles/${id}/progress/matrix?asOf=${encodeURIComponent(new Date(ms).toISOString())}${query}`)
        .set(etag ? { 'If-None-Match': etag } : {});
    // At t0+15d the only waiting cells are xh-s02's (due t0+10d, escalated) and xh-u01's (extended to t0+30d): the
    // cells stay as they are after t0+10d and until xh-u01's step is due soon at t0+27d (72 h before).
    const first = await get(t0 + 15 * DAY).expect(200);
    const etag = first.headers.etag as string;
    expect([first.headers['cache-control'], first.headers['content-type'], etag]).toEqual([
      'private, no-cache',
      'application/json; charset=utf-8',
      expect.stringMatching(new RegExp(`^W/"[\\w-]+\\.${t0 + 10 * DAY}\\.${t0 + 27 * DAY}"$`)),
    ]);
    expect(rowsOf(first.body).map((r) => r[1])).toEqual(['a0', 's0', 'e0', 'r0']);

    const same = await get(t0 + 20 * DAY, etag).expect(304);
    expect([same.headers.etag, same.text ?? '']).toEqual([etag, '']);
    await get(t0 + 27 * DAY, etag).expect(304);
    const dueSoon = await get(t0 + 27 * DAY + 1, etag).expect(200);
    expect([rowsOf(dueSoon.body).map((r) => r[1]), dueSoon.headers.etag === etag]).toEqual([
      ['a0', 's0', 'e0', 'd0'],
      false,
    ]);
    await get(t0 + 10 * DAY, etag).expect(200); // before the interval: xh-s02's step was not overdue yet
    await get(t0 + 15 * DAY, etag, '&kind=school').expect(200); // another question, another answer
    await get(t0 + 15 * DAY, `"other", ${etag}`).expect(304); // any of a list

    // A unit submits: its row changes, so the same ETag no longer holds.
    await http().post(`/api/cycles/${id}/units/xh-s02/steps/study-record/submit`).send({}).expect(200);
    const changed = await eventually(
      async () => get(t0 + 15 * DAY, etag),
      (r) => r.status === 200,
    );
    expect(rowsOf(changed.body).map((r) => r[1])).toEqual(['a0', 's0', 's0', 'r0']);
    await get(t0 + 15 * DAY, changed.headers.etag as string).expect(304);
  });
});

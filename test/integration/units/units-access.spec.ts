import request from 'supertest';
import { loginAs, type LoggedIn } from '../../support/auth';
import { useTestApi } from '../../support/test-stack';
import { unitTree } from '../cycles/cycles.fixture';

/**
 * Who sees which units (real api, real PostgreSQL): the office and auditors every unit; a unit_secretary its unit
 * and the subtree below it; a unit_submitter its own unit only. Only office_admin imports.
 */
describe('units: role boundaries', () => {
  const stack = useTestApi();
  let office: LoggedIn,
    reviewer: LoggedIn,
    auditor: LoggedIn,
    gb1Secretary: LoggedIn,
    s01Secretary: LoggedIn,
    s01Submitter: LoggedIn;
  const as = (who: LoggedIn) => request.agent(stack.api.getHttpServer()).set(who.headers);
  const codes = (page: { items: { code: string }[] }) => page.items.map((u) => u.code);
  const names = (n: { code: string; children: any[] }): unknown => ({ [n.code]: n.children.map(names) });

  beforeAll(async () => {
    office = await loginAs(stack.api, 'office_admin');
    await as(office)
      .post('/api/units/import')
      .send({
        // the cycles' tree without 第二中学, and with a branch below 徐汇中学
        units: [
          ...unitTree.filter((u) => u.code !== 'xh-s02'),
          { code: 'xh-s01a', name: '初中部党支部', kind: 'school', parentCode: 'xh-s01' },
        ],
      })
      .expect(200);
    const id = async (code: string) =>
      (await stack.db.query('SELECT id FROM unit WHERE code = $1', [code]))[0].id as string;
    [reviewer, auditor, gb1Secretary, s01Secretary, s01Submitter] = [
      await loginAs(stack.api, 'office_reviewer'),
      await loginAs(stack.api, 'auditor'),
      await loginAs(stack.api, 'unit_secretary', await id('xh-gb1')),
      await loginAs(stack.api, 'unit_secretary', await id('xh-s01')),
      await loginAs(stack.api, 'unit_submitter', await id('xh-s01')),
    ];
  });

  it('lists: the office and auditors see every unit; a secretary its subtree; a submitter its unit', async () => {
    const all = ['xh-edu', 'xh-gb1', 'xh-k01', 'xh-s01', 'xh-s01a', 'xh-u01'];
    for (const who of [office, reviewer, auditor])
      expect(codes((await as(who).get('/api/units').expect(200)).body)).toEqual(all);
    expect((await as(gb1Secretary).get('/api/units').expect(200)).body).toMatchObject({
      total: 4,
      items: [{ code: 'xh-gb1' }, { code: 'xh-k01' }, { code: 'xh-s01' }, { code: 'xh-s01a' }],
    });
    expect((await as(s01Secretary).get('/api/units').expect(200)).body).toMatchObject({
      total: 2,
      items: [{ code: 'xh-s01' }, { code: 'xh-s01a' }],
    });
    expect((await as(s01Submitter).get('/api/units').expect(200)).body).toMatchObject({
      total: 1,
      items: [{ code: 'xh-s01' }],
    });
    // Filters and paging apply within the readable units.
    expect(codes((await as(gb1Secretary).get('/api/units?kind=school').expect(200)).body)).toEqual([
      'xh-s01',
      'xh-s01a',
    ]);
    expect((await as(gb1Secretary).get('/api/units?limit=1&offset=1').expect(200)).body).toMatchObject({
      total: 4,
      items: [{ code: 'xh-k01' }],
    });
    expect(codes((await as(gb1Secretary).get('/api/units?parent=xh-gb1').expect(200)).body)).toEqual([
      'xh-k01',
      'xh-s01',
    ]);
    await as(s01Secretary).get('/api/units?parent=xh-gb1').expect(403); // the parent is not theirs to read
  });

  it('tree: a secretary gets its subtree as the only root', async () => {
    expect((await as(auditor).get('/api/units/tree').expect(200)).body.map(names)).toEqual([
      { 'xh-edu': [{ 'xh-gb1': [{ 'xh-k01': [] }, { 'xh-s01': [{ 'xh-s01a': [] }] }] }, { 'xh-u01': [] }] },
    ]);
    expect((await as(gb1Secretary).get('/api/units/tree').expect(200)).body.map(names)).toEqual([
      { 'xh-gb1': [{ 'xh-k01': [] }, { 'xh-s01': [{ 'xh-s01a': [] }] }] },
    ]);
    expect((await as(s01Secretary).get('/api/units/tree').expect(200)).body.map(names)).toEqual([
      { 'xh-s01': [{ 'xh-s01a': [] }] },
    ]);
    expect((await as(s01Submitter).get('/api/units/tree').expect(200)).body.map(names)).toEqual([{ 'xh-s01': [] }]);
    expect((await as(gb1Secretary).get('/api/units/tree?root=xh-s01').expect(200)).body.map(names)).toEqual([
      { 'xh-s01': [{ 'xh-s01a': [] }] },
    ]);
    await as(s01Secretary).get('/api/units/tree?root=xh-edu').expect(403);
    await as(s01Secretary).get('/api/units/tree?root=nowhere').expect(404);
  });

  it('one unit: readable ones 200, others 403, unknown 404', async () => {
    expect((await as(gb1Secretary).get('/api/units/xh-s01a').expect(200)).body).toMatchObject({
      code: 'xh-s01a',
      parentCode: 'xh-s01',
    });
    const foreign = await as(s01Secretary).get('/api/units/xh-k01').expect(403);
    expect(foreign.body).toMatchObject({
      error: 'FORBIDDEN',
      message: expect.stringContaining(s01Secretary.user.email),
    });
    await as(s01Secretary).get('/api/units/xh-gb1').expect(403); // a secretary reads down, never up
    await as(s01Submitter).get('/api/units/xh-s01a').expect(403); // a submitter: its own unit only
    await as(auditor).get('/api/units/xh-u01').expect(200);
    await as(gb1Secretary).get('/api/units/nowhere').expect(404);
  });

  it('imports: office_admin only (403 for everyone else, 401 without a token), nothing written', async () => {
    const body = { units: [{ code: 'xh-new', name: '新党支部', kind: 'school', parentCode: 'xh-s01' }] };
    for (const who of [reviewer, auditor, gb1Secretary, s01Secretary, s01Submitter]) {
      const res = await as(who).post('/api/units/import').send(body).expect(403);
      expect(res.body.message).toBe('requires one of the roles: office_admin');
    }
    await as(s01Secretary)
      .post('/api/units/import')
      .set('content-type', 'text/csv')
      .send('code,name,kind\nxh-new,新,school')
      .expect(403);
    await request(stack.api.getHttpServer()).post('/api/units/import').send(body).expect(401);
    for (const path of ['/api/units', '/api/units/tree', '/api/units/xh-s01'])
      await request(stack.api.getHttpServer()).get(path).expect(401);
    expect((await stack.db.query('SELECT count(*)::int AS n FROM unit'))[0].n).toBe(6);
    // The office's import is audited under its account.
    expect(
      await stack.db.query(`SELECT actor_email, action, entity, after FROM audit_log WHERE action = 'unit.import'`),
    ).toEqual([
      {
        actor_email: office.user.email,
        action: 'unit.import',
        entity: 'unit',
        after: { created: 6, updated: 0, warnings: [] },
      },
    ]);
  });
});

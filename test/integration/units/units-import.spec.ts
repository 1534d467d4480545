import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createTestApi } from '../../support/api';
import { loginAs } from '../../support/auth';
import { createTestDatabase, TestDatabase } from '../../support/database';

/** Bulk import of the unit tree through the real api on a real PostgreSQL database. */
describe('units: bulk import, list, tree (real PostgreSQL)', () => {
  let db: TestDatabase;
  let api: INestApplication;
  let office: Awaited<ReturnType<typeof loginAs>>;
  // Importing units is office_admin's; every request of this file is the office's.
  const http = () => request.agent(api.getHttpServer()).set(office.headers);
  const countUnits = async () => (await db.query('SELECT count(*)::int AS n FROM unit'))[0].n;
  const importJson = (units: unknown[]) => http().post('/api/units/import').send({ units });
  const importCsv = (csv: string) => http().post('/api/units/import').set('content-type', 'text/csv').send(csv);

  beforeAll(async () => {
    db = await createTestDatabase();
    // the rows' webhooks are loopback addresses: allowed here as an intranet would allow its own
    api = await createTestApi({ databaseUrl: db.url, env: { OUTBOUND_ALLOW_HOSTS: '127.0.0.1' } });
    office = await loginAs(api, 'office_admin');
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('imports a tree from JSON, children before their parents, and stores every field', async () => {
    const res = await importJson([
      {
        code: 'xh-s01',
        name: '徐汇中学党支部',
        kind: 'school',
        parentCode: 'xh-gb1',
        secretaryName: '李明',
        email: 's01@xh.example.cn',
        phone: '021-64000001',
        webhookUrl: 'http://127.0.0.1:9000/hook',
        contacts: [{ name: '王芳', role: '组织委员', email: 'wf@xh.example.cn' }],
      },
      { code: 'xh-gb1', name: '小学幼教党总支', kind: 'general_branch', parentCode: 'xh-edu' },
      { code: 'xh-edu', name: '徐汇区教育党工委', kind: 'office' },
      { code: 'xh-k01', name: '第一幼儿园党支部', kind: 'kindergarten', parentCode: 'xh-gb1' },
    ]).expect(200);
    expect(res.body).toEqual({ created: 4, updated: 0, warnings: [] });
    const s01 = (await http().get('/api/units/xh-s01').expect(200)).body;
    expect(s01).toMatchObject({
      code: 'xh-s01',
      name: '徐汇中学党支部',
      kind: 'school',
      parentCode: 'xh-gb1',
      secretaryName: '李明',
      email: 's01@xh.example.cn',
      phone: '021-64000001',
      webhookUrl: '…hook',
      contacts: [{ name: '王芳', role: '组织委员', email: 'wf@xh.example.cn' }],
      timeZone: null,
    }); // the webhook is write-only: office admins see it masked (test/integration/units/unit-secrets.spec.ts)
    expect(s01.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('imports CSV (with a quoted multi-line cell and a contacts column) under parents already stored', async () => {
    const csv = [
      'code,name,kind,parentCode,secretaryName,email,contacts',
      'xh-s02,"第二中学',
      '党支部",school,xh-gb1,赵强,s02@xh.example.cn,"[{""name"":""钱红"",""phone"":""13800000000""}]"',
      'xh-u01,上海某大学党委,university,xh-edu,,,',
    ].join('\n');
    expect((await importCsv(csv).expect(200)).body).toEqual({ created: 2, updated: 0, warnings: [] });
    expect((await http().get('/api/units/xh-s02').expect(200)).body).toMatchObject({
      name: '第二中学\n党支部',
      parentCode: 'xh-gb1',
      contacts: [{ name: '钱红', phone: '13800000000' }],
    });
    expect((await http().get('/api/units/xh-u01').expect(200)).body).toMatchObject({
      parentCode: 'xh-edu',
      secretaryName: null,
      email: null,
      contacts: [],
    });
    expect(await countUnits()).toBe(6);
  });

  it('lists units flat (ordered by code), filtered by kind and by parent', async () => {
    const all = (await http().get('/api/units').expect(200)).body;
    expect(all.total).toBe(6);
    expect(all.items.map((u: { code: string }) => u.code)).toEqual([
      'xh-edu',
      'xh-gb1',
      'xh-k01',
      'xh-s01',
      'xh-s02',
      'xh-u01',
    ]);
    const schools = (await http().get('/api/units?kind=school').expect(200)).body;
    expect(schools.items.map((u: { code: string }) => u.code)).toEqual(['xh-s01', 'xh-s02']);
    const children = (await http().get('/api/units?parent=xh-gb1').expect(200)).body;
    expect(children.items.map((u: { code: string }) => u.code)).toEqual(['xh-k01', 'xh-s01', 'xh-s02']);
    const page = (await http().get('/api/units?limit=2&offset=1').expect(200)).body;
    expect(page).toMatchObject({ total: 6, limit: 2, offset: 1 });
    expect(page.items.map((u: { code: string }) => u.code)).toEqual(['xh-gb1', 'xh-k01']);
    await http().get('/api/units?kind=castle').expect(400);
    await http().get('/api/units?parent=nobody').expect(404);
    await http().get('/api/units/nobody').expect(404);
  });

  it('returns the nested tree, and one subtree', async () => {
    const names = (n: { code: string; children: any[] }): unknown => ({ [n.code]: n.children.map(names) });
    const tree = (await http().get('/api/units/tree').expect(200)).body;
    expect(tree.map(names)).toEqual([
      { 'xh-edu': [{ 'xh-gb1': [{ 'xh-k01': [] }, { 'xh-s01': [] }, { 'xh-s02': [] }] }, { 'xh-u01': [] }] },
    ]);
    const sub = (await http().get('/api/units/tree?root=xh-gb1').expect(200)).body;
    expect(sub.map(names)).toEqual([{ 'xh-gb1': [{ 'xh-k01': [] }, { 'xh-s01': [] }, { 'xh-s02': [] }] }]);
  });

  it('reports EVERY bad row of a JSON import at once, and imports nothing', async () => {
    const before = await db.query('SELECT code, name, parent_id, updated_at FROM unit ORDER BY code');
    const res = await importJson([
      { code: 'ok-1', name: '好的党支部', kind: 'school', parentCode: 'xh-gb1' },
      { code: 'bad-parent', name: '甲', kind: 'school', parentCode: 'nowhere' },
      { code: 'ok-1', name: '重复', kind: 'school' },
      { code: 'bad-mail', name: '乙', kind: 'school', email: 'not-mail' },
      { code: 'bad-url', name: '丙', kind: 'school', webhookUrl: 'ftp://x' },
      { code: 'bad-kind', name: '丁', kind: 'castle' },
      { code: 'no-name', kind: 'school' },
      { code: 'loop-a', name: '环甲', kind: 'school', parentCode: 'loop-b' },
      { code: 'loop-b', name: '环乙', kind: 'school', parentCode: 'loop-a' },
      { code: 'xh-gb1', name: '小学幼教党总支', kind: 'general_branch', parentCode: 'xh-s01' },
      { code: 'self', name: '自己', kind: 'school', parentCode: 'self' },
      { code: 'extra', name: '戊', kind: 'school', colour: 'red' },
      { code: 'bad-contact', name: '己', kind: 'school', contacts: [{ email: 'x@y.cn' }] },
    ]).expect(400);
    expect(res.body.error).toBe('VALIDATION_FAILED');
    expect(res.body.details).toEqual([
      {
        field: 'rows[1].parentCode',
        problem: 'unknown unit code "nowhere" (neither in this import nor in the database)',
      },
      { field: 'rows[2].code', problem: 'duplicate code "ok-1" (first in rows[0])' },
      { field: 'rows[3].email', problem: 'not an email address' },
      { field: 'rows[4].webhookUrl', problem: 'not an http(s) URL' },
      { field: 'rows[5].kind', problem: expect.stringMatching(/^unknown kind "castle" \(one of office, agency, /) },
      { field: 'rows[6].name', problem: 'is required' },
      { field: 'rows[7].parentCode', problem: 'the parent chain loops: loop-a → loop-b → loop-a' },
      { field: 'rows[8].parentCode', problem: 'the parent chain loops: loop-b → loop-a → loop-b' },
      { field: 'rows[9].parentCode', problem: 'the parent chain loops: xh-gb1 → xh-s01 → xh-gb1' },
      { field: 'rows[10].parentCode', problem: 'the parent chain loops: self → self' },
      { field: 'rows[11].colour', problem: expect.stringMatching(/^unknown field/) },
      { field: 'rows[12].contacts[0].name', problem: 'is required' },
    ]);
    expect(await db.query('SELECT code, name, parent_id, updated_at FROM unit ORDER BY code')).toEqual(before);
  });

  it('numbers CSV rows as a spreadsheet does (header = row 1) and imports nothing on error', async () => {
    const csv = [
      'code,name,kind,parentCode,email,webhookUrl',
      'c-ok,好,school,xh-gb1,,',
      'c-bad,,school,,a@b,',
      'c-url,坏,school,,,not a url',
    ].join('\n');
    const res = await importCsv(csv).expect(400);
    expect(res.body.details).toEqual([
      { field: 'rows[3].name', problem: 'is required' },
      { field: 'rows[3].email', problem: 'not an email address' },
      { field: 'rows[4].webhookUrl', problem: 'not an http(s) URL' },
    ]);
    expect(await countUnits()).toBe(6);
    const header = await importCsv('code,name,colour\nx,y,z').expect(400);
    expect(header.body.details).toEqual([
      { field: 'header[3]', problem: expect.stringMatching(/^unknown column "colour"/) },
      { field: 'header', problem: 'missing column "kind"' },
    ]);
    const empty = await importJson([]).expect(400);
    expect(empty.body.details).toEqual([{ field: 'units', problem: 'must be a non-empty array of units' }]);
  });

  it('re-import updates by code, re-parents, keeps absent columns and clears empty ones', async () => {
    const before = (await http().get('/api/units/xh-s01').expect(200)).body;
    // Move xh-s01 from the general branch to directly under the office; new unit under it in the same file.
    const csv = [
      'code,name,kind,parentCode,email',
      'xh-s01,徐汇中学党委,school,xh-edu,',
      'xh-s01a,初中部党支部,school,xh-s01,jz@xh.example.cn',
    ].join('\n');
    expect((await importCsv(csv).expect(200)).body).toEqual({ created: 1, updated: 1, warnings: [] });
    const after = (await http().get('/api/units/xh-s01').expect(200)).body;
    expect(after).toMatchObject({
      id: before.id,
      name: '徐汇中学党委',
      parentCode: 'xh-edu',
      email: null, // emptied
      secretaryName: '李明',
      phone: '021-64000001',
      webhookUrl: '…hook',
      contacts: before.contacts, // absent: kept
    });
    expect((await http().get('/api/units/xh-s01a').expect(200)).body.parentCode).toBe('xh-s01');
    // JSON without parentCode keeps the parent.
    expect(
      (await importJson([{ code: 'xh-s01a', name: '初中部党支部（新）', kind: 'school' }]).expect(200)).body,
    ).toEqual({ created: 0, updated: 1, warnings: [] });
    expect((await http().get('/api/units/xh-s01a').expect(200)).body).toMatchObject({
      name: '初中部党支部（新）',
      parentCode: 'xh-s01',
      email: 'jz@xh.example.cn',
    });
    expect(await countUnits()).toBe(7);
  });

  it('imports 5,000 units in one request within a few seconds', async () => {
    const units = Array.from({ length: 5000 }, (_, i) => ({
      code: `bulk-${String(i).padStart(5, '0')}`,
      name: `批量党支部 ${i}`,
      kind: i % 50 === 0 ? 'general_branch' : 'school',
      parentCode: i % 50 === 0 ? 'xh-edu' : `bulk-${String(i - (i % 50)).padStart(5, '0')}`,
      email: `u${i}@bulk.example.cn`,
    }));
    const t0 = Date.now();
    expect((await importJson(units).expect(200)).body).toEqual({ created: 5000, updated: 0, warnings: [] });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(await countUnits()).toBe(5007);
    expect(
      (
        await db.query(
          `SELECT count(*)::int AS n FROM unit c JOIN unit p ON p.id = c.parent_id WHERE p.code = 'bulk-00050'`,
        )
      )[0].n,
    ).toBe(49);
  });

  it('documents the units and cycles endpoints in the OpenAPI document', async () => {
    const doc = (await http().get('/docs/openapi.json').expect(200)).body;
    for (const path of [
      '/api/units/import',
      '/api/units',
      '/api/units/tree',
      '/api/units/{code}',
      '/api/cycles',
      '/api/cycles/{id}',
      '/api/cycles/{id}/progress',
      '/api/cycles/{id}/units/{unit}',
      '/api/cycles/{id}/units/{unit}/extend',
      '/api/cycles/{id}/extend',
      '/api/cycles/{id}/units/{unit}/waive',
      '/api/cycles/{id}/units/{unit}/steps/{stepKey}/submit',
      '/api/cycles/{id}/units/{unit}/steps/{stepKey}/review',
      '/api/cycles/{id}/pause',
      '/api/cycles/{id}/resume',
      '/api/cycles/{id}/cancel',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(Object.keys(doc.paths['/api/units/import'].post.requestBody.content).sort()).toEqual([
      'application/json',
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'text/csv',
    ]);
  });
});

/** Issue 13: a tree whose office notices would reach no one is imported, with a warning naming it. */
describe('units: import warns when the office cannot be reached (real PostgreSQL)', () => {
  const tree = [
    { code: 'zz-gb1', name: '小学幼教党总支', kind: 'general_branch' },
    { code: 'zz-s01', name: '徐汇中学党支部', kind: 'school', parentCode: 'zz-gb1' },
    { code: 'zz-s02', name: '第二中学党支部', kind: 'school', parentCode: 'zz-gb1' },
    { code: 'zz-s03', name: '第三中学党支部', kind: 'school', parentCode: 'zz-gb1' },
  ];

  async function importWith(env: Record<string, string>, units: unknown[]) {
    const db = await createTestDatabase();
    const api = await createTestApi({ databaseUrl: db.url, env });
    try {
      const office = await loginAs(api, 'office_admin');
      return (
        await request(api.getHttpServer()).post('/api/units/import').set(office.headers).send({ units }).expect(200)
      ).body;
    } finally {
      await api.close();
      await db.drop();
    }
  }

  it('names the tree when there is neither an office unit nor NOTICE_OFFICE_EMAILS; stays quiet when either exists', async () => {
    expect(await importWith({ NOTICE_OFFICE_EMAILS: '' }, tree)).toEqual({
      created: 4,
      updated: 0,
      warnings: [
        'no way to reach the office for unit tree zz-gb1 (小学幼教党总支): it has no unit of kind office and NOTICE_OFFICE_EMAILS is empty — ' +
          'escalations to the office will show only in the office inbox and the dead-letter list. Import an office unit as its root, or set NOTICE_OFFICE_EMAILS.',
      ],
    });
    expect(await importWith({ NOTICE_OFFICE_EMAILS: 'office@xh.example.cn' }, tree)).toEqual({
      created: 4,
      updated: 0,
      warnings: [],
    });
    const withOffice = [
      { code: 'zz-edu', name: '徐汇区教育党工委', kind: 'office' },
      ...tree.map((u) => (u.code === 'zz-gb1' ? { ...u, parentCode: 'zz-edu' } : u)),
    ];
    expect(await importWith({ NOTICE_OFFICE_EMAILS: '' }, withOffice)).toEqual({
      created: 5,
      updated: 0,
      warnings: [],
    });
  });
});

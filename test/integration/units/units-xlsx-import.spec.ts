import ExcelJS from 'exceljs';
import request from 'supertest';
import { IMPORT_FIELDS } from '../../../apps/api/src/units/import/unit-import.rows';
import { loginAs, type LoggedIn } from '../../support/auth';
import { useTestApi } from '../../support/test-stack';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function workbook(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('units');
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Units from Excel: the same all-or-nothing check as CSV, rows numbered as Excel shows them; the template. */
describe('unit import from .xlsx and its template (real api, real PostgreSQL)', () => {
  const stack = useTestApi();
  let office: LoggedIn;
  const post = (body: Buffer) =>
    request(stack.api.getHttpServer())
      .post('/api/units/import')
      .set(office.headers)
      .set('content-type', XLSX)
      .send(body);

  beforeAll(async () => {
    office = await loginAs(stack.api, 'office_admin');
  });

  it('serves the template: the importer’s columns, example rows that import as they are', async () => {
    const res = await request(stack.api.getHttpServer())
      .get('/api/units/import/template')
      .set(office.headers)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toBe('attachment; filename="units-import-template.xlsx"');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body);
    const sheet = wb.worksheets[0];
    expect((sheet.getRow(1).values as string[]).slice(1)).toEqual([...IMPORT_FIELDS]);
    expect(sheet.getCell('C2').dataValidation.type).toBe('list');
    expect((await post(res.body).expect(200)).body).toEqual({ created: 3, updated: 0, warnings: [] });
    expect((await stack.db.query(`SELECT code FROM unit ORDER BY code`)).map((u) => u.code)).toEqual([
      'xh-edu',
      'xh-gb1',
      'xh-s01',
    ]);
  });

  it('reports every bad row at its Excel row number and column, and imports nothing', async () => {
    const file = await workbook([
      ['code', 'name', 'kind', 'parentCode', 'email'],
      ['t-1', '一支部', 'school', '', 'a@example.cn'],
      [], // an empty row keeps the numbering of the rows below it
      ['t-2', '二支部', 'castle', 't-1', 'not-an-email'],
      ['t-3', '', 'school', 't-1', ''],
    ]);
    const res = await post(file).expect(400);
    expect(res.body.message).toBe('the import has 3 problem(s); nothing was imported');
    expect(res.body.details).toEqual([
      { field: 'rows[4].kind', problem: expect.stringMatching(/^unknown kind "castle"/) },
      { field: 'rows[4].email', problem: 'not an email address' },
      { field: 'rows[5].name', problem: 'is required' },
    ]);
    expect(await stack.db.query(`SELECT code FROM unit WHERE code LIKE 't-%'`)).toEqual([]);
  });

  it('refuses a file that is not a workbook, and a header it does not know, by name', async () => {
    const notXlsx = await post(Buffer.from('code,name,kind\n')).expect(400);
    expect(notXlsx.body.details[0]).toEqual({
      field: 'body',
      problem: expect.stringMatching(/^not an .xlsx workbook/),
    });
    const badHeader = await post(
      await workbook([
        ['code', 'name', 'kind', 'colour'],
        ['t-9', '九支部', 'school', 'red'],
      ]),
    ).expect(400);
    expect(badHeader.body.details).toEqual([
      { field: 'header[4]', problem: `unknown column "colour" (allowed: ${IMPORT_FIELDS.join(', ')})` },
    ]);
  });

  it('lists holidays and 调休 workdays for timelines', async () => {
    const res = await request(stack.api.getHttpServer())
      .get('/api/calendar/special-days?from=2026-09-25&to=2026-10-11')
      .set(office.headers)
      .expect(200);
    expect(res.body).toEqual([
      ...['2026-09-25', '2026-09-26', '2026-09-27'].map((date) => ({ date, kind: 'holiday', name: '中秋' })),
      ...['01', '02', '03', '04', '05', '06', '07'].map((d) => ({
        date: `2026-10-${d}`,
        kind: 'holiday',
        name: '国庆节',
      })),
      { date: '2026-10-10', kind: 'makeup_workday', name: '国庆节' },
    ]);
    const bad = await request(stack.api.getHttpServer())
      .get('/api/calendar/special-days?from=2026-10-11&to=2026-09-01')
      .set(office.headers)
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'to', problem: 'must be on or after from' }]);
  });
});

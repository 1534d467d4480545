import ExcelJS from 'exceljs';
import request from 'supertest';
import { loginAs } from '../../support/auth';
import { startCycleStack, unitTree } from './cycles.fixture';
import type { TestStack } from '../../support/test-stack';
import { HOUR, DAY } from '../../support/time';
import { eventually } from '../../support/eventually';

const TASK_QUEUE = 'progress-export';

/** The console's progress export (exceljs) and a unit's notices with their deliveries, on real workflows. */
describe('progress export and unit notices', () => {
  let stack: TestStack;
  let t0: number;
  let id: string;
  const http = () => stack.asOffice();

  beforeAll(async () => {
    stack = await startCycleStack(TASK_QUEUE, {
      units: unitTree.map((u) => (u.code === 'xh-s02' ? { ...u, secretaryName: '王书记' } : u)),
    });
    t0 = Math.floor((await stack.env.currentTimeMs()) / 1000) * 1000;
    id = (
      await http()
        .post('/api/cycles')
        .send({
          templateKey: 'it-two-stage',
          name: '导出',
          startsAt: new Date(t0).toISOString(),
          units: { codes: ['xh-k01', 'xh-s01', 'xh-s02'] },
        })
        .expect(201)
    ).body.id;
    await eventually(
      () =>
        http()
          .get(`/api/cycles/${id}/progress`)
          .then((r) => r.body),
      (p) => p.units.started === 3,
    );
    await http().post(`/api/cycles/${id}/units/xh-k01/steps/study-record/submit`).send({}).expect(200);
    await http()
      .post(`/api/cycles/${id}/units/xh-k01/steps/study-record/review`)
      .send({ decision: 'accept' })
      .expect(200);
    await http().post(`/api/cycles/${id}/units/xh-s01/steps/study-record/submit`).send({}).expect(200);
    // Past the parent rung (due + 3 d): xh-s02 has had its reminder, due notice and escalation.
    await stack.env.sleep(t0 + 14 * DAY + HOUR - (await stack.env.currentTimeMs()));
    await eventually(
      () =>
        http()
          .get(`/api/cycles/${id}/units/xh-s02/notices`)
          .then((r) => r.body),
      (n) =>
        n.length >= 3 &&
        n.every((x: { deliveries: { status: string }[] }) => x.deliveries.every((d) => d.status === 'sent')),
    );
  });

  afterAll(() => stack?.close());

  const workbook = async (query = '') => {
    const res = await http()
      .get(
        `/api/cycles/${id}/progress/matrix/export?asOf=${encodeURIComponent(new Date(t0 + 14 * DAY + HOUR).toISOString())}${query}`,
      )
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="progress-${id}.xlsx"`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body);
    return book;
  };
  const values = (sheet: ExcelJS.Worksheet) =>
    sheet
      .getSheetValues()
      .slice(1)
      .map((r) => (r as ExcelJS.CellValue[]).slice(1));

  it('exports every matching unit with its statuses in words and colour, and the totals', async () => {
    const book = await workbook();
    const sheet = book.getWorksheet('进度 Progress')!;
    expect(values(sheet).slice(1)).toEqual([
      [
        '单位编码 Code',
        '单位名称 Unit',
        '类型 Kind',
        '当前阶段 Stage',
        '学习调研：学习交流记录',
        '分析检查：分析检查报告',
      ],
      ['xh-k01', '第一幼儿园党支部', '幼儿园', '分析检查', '已通过', '未开始'],
      ['xh-s01', '徐汇中学党支部', '中小学', '学习调研', '已提交', '未开始'],
      ['xh-s02', '第二中学党支部', '中小学', '学习调研', '已督办', '未开始'],
    ]);
    expect(sheet.getCell('E5').fill).toEqual({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFF7875' } });
    expect(values(book.getWorksheet('汇总 Totals')!)[1].slice(0, 3)).toEqual(['阶段', '学习调研', 3]);
    // The filters of the matrix apply; offset and limit do not.
    expect(
      values((await workbook('&status=escalated&limit=1&offset=5')).getWorksheet('进度 Progress')!)
        .slice(2)
        .map((r) => r[0]),
    ).toEqual(['xh-s02']);
    expect(
      (await http().get(`/api/cycles/${id}/progress/matrix/export?kind=castle`).expect(400)).body.details.map(
        (d: { field: string }) => d.field,
      ),
    ).toEqual(['kind']);
  });

  it("lists a unit's notices oldest first with deliveries by recipient name, channel and sent time, without addresses", async () => {
    const notices = (await http().get(`/api/cycles/${id}/units/xh-s02/notices`).expect(200)).body;
    expect(
      notices.map((n: { kind: string; audience: string; scheduledFor: string }) => [
        n.kind,
        n.audience,
        Date.parse(n.scheduledFor) - t0,
      ]),
    ).toEqual([
      ['reminder', 'unit', 9 * DAY],
      ['due', 'unit', 10 * DAY],
      ['escalation', 'parent', 13 * DAY],
    ]);
    const names = notices.map(
      (n: { deliveries: { recipientName: string; channel: string; status: string; readAt: string | null }[] }) =>
        n.deliveries.map((d) => [d.channel, d.recipientName, d.status, d.readAt]),
    );
    expect(names).toEqual([
      [['inbox', '王书记', 'sent', null]],
      [['inbox', '王书记', 'sent', null]],
      [['inbox', '小学幼教党总支', 'sent', null]],
    ]);
    expect(JSON.stringify(notices)).not.toMatch(/address|unit:/);
    await http().get(`/api/cycles/${id}/units/ghost/notices`).expect(404);
    const auditor = await loginAs(stack.api, 'auditor');
    await request(stack.api.getHttpServer())
      .get(`/api/cycles/${id}/units/xh-s02/notices`)
      .set(auditor.headers)
      .expect(200);
    const unitIdOf = async (code: string) =>
      (await stack.db.query('SELECT id FROM unit WHERE code = $1', [code]))[0].id;
    const otherSecretary = await loginAs(stack.api, 'unit_secretary', await unitIdOf('xh-u01'));
    await request(stack.api.getHttpServer())
      .get(`/api/cycles/${id}/units/xh-s02/notices`)
      .set(otherSecretary.headers)
      .expect(403);
  });
});

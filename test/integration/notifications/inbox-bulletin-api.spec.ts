import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { Db } from '../../../libs/persistence/src/db';
import { NoticeDeliveryActivities } from '../../../activities/notices/notice-delivery.activities';
import { loginAs, type LoggedIn } from '../../support/auth';
import { testConfig } from '../../support/env';
import { DUE_AT, recordTestNotice, seedCampaign, type Seeded } from './support/seed';
import { DAY } from '../../support/time';
import { useTestApi } from '../../support/test-stack';

/** The unit inbox API and the bulletin list (通报) with its xlsx/CSV export, on a real database and the real api. */
describe('inbox and bulletin APIs', () => {
  const stack = useTestApi();
  let s: Seeded;
  let secretary: LoggedIn;
  let office: LoggedIn;

  beforeAll(async () => {
    s = await seedCampaign(stack.db.dataSource, {
      wecom: 'http://127.0.0.1:9/w',
      dingtalk: 'http://127.0.0.1:9/d',
      webhook: 'http://127.0.0.1:9/h',
    });
    secretary = await loginAs(stack.api, 'unit_secretary', s.unitId);
    office = await loginAs(stack.api, 'office_reviewer');
    // Two notices delivered on the inbox channel only (the activity called directly: no Temporal needed here).
    const activities = new NoticeDeliveryActivities(
      new Db(stack.db.dataSource),
      testConfig({ DATABASE_URL: stack.db.url, PUBLIC_BASE_URL: 'https://campaigns.example.cn' }),
    );
    for (const n of [
      {
        kind: 'reminder' as const,
        audience: 'unit' as const,
        scheduledFor: new Date(Date.parse(DUE_AT) - 7 * DAY).toISOString(),
      },
      { kind: 'due' as const, audience: 'unit' as const, scheduledFor: DUE_AT },
    ]) {
      const { deliveries } = await recordTestNotice(stack.db.dataSource, s, n);
      const inbox = deliveries.find((d) => d.channel === 'inbox')!;
      expect(await activities.deliverNotice(inbox)).toEqual({ status: 'sent' });
      expect(await activities.deliverNotice(inbox)).toEqual({ status: 'already-sent' });
    }
  });

  it('lists a unit’s inbox newest first with the unread count, and marks a message read (idempotently)', async () => {
    const page = await request(stack.api.getHttpServer())
      .get('/api/units/xh-s01/inbox')
      .set(secretary.headers)
      .expect(200);
    expect(page.body.unitCode).toBe('xh-s01');
    expect(page.body.unread).toBe(2);
    expect(
      page.body.items.map((m: { kind: string; subject: string; readAt: null }) => [m.kind, m.subject, m.readAt]),
    ).toEqual([
      ['due', '【到期】学习实践活动：第一中学党支部「开展学习调研」已于2009年4月30日 17:00截止', null],
      ['reminder', '【提醒】学习实践活动：第一中学党支部「开展学习调研」将于2009年4月30日 17:00截止', null],
    ]);
    expect(page.body.items[0].link).toBe(`https://campaigns.example.cn/my/tasks/${s.cycleId}/xh-s01/study-research`);

    const id = page.body.items[1].id;
    const read = await request(stack.api.getHttpServer())
      .post(`/api/units/xh-s01/inbox/${id}/read`)
      .set(secretary.headers)
      .expect(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    const again = await request(stack.api.getHttpServer())
      .post(`/api/units/xh-s01/inbox/${id}/read`)
      .set(secretary.headers)
      .expect(200);
    expect(again.body.readAt).toBe(read.body.readAt);
    expect(
      await stack.db.query(
        'SELECT actor_email AS actor, entity, entity_id AS "entityId", after FROM audit_log WHERE action = \'inbox.read\'',
      ),
    ).toEqual([
      { actor: secretary.user.email, entity: 'inbox_message', entityId: String(id), after: null },
      { actor: secretary.user.email, entity: 'inbox_message', entityId: String(id), after: null },
    ]);
    expect(
      (
        await request(stack.api.getHttpServer())
          .get('/api/units/xh-s01/inbox/unread-count')
          .set(secretary.headers)
          .expect(200)
      ).body,
    ).toEqual({ unitCode: 'xh-s01', unread: 1 });
    const unread = await request(stack.api.getHttpServer())
      .get('/api/units/xh-s01/inbox?unreadOnly=true')
      .set(secretary.headers)
      .expect(200);
    expect(unread.body.items.map((m: { kind: string }) => m.kind)).toEqual(['due']);
  });

  it('guards the inbox: other units’ accounts get 403, unknown units 404, bad parameters 400 naming the field', async () => {
    const other = await loginAs(stack.api, 'unit_submitter', s.parentId);
    await request(stack.api.getHttpServer()).get('/api/units/xh-s01/inbox').set(other.headers).expect(403);
    await request(stack.api.getHttpServer()).get('/api/units/no-such-unit/inbox').set(secretary.headers).expect(404);
    const bad = await request(stack.api.getHttpServer())
      .get('/api/units/xh-s01/inbox?limit=0&unreadOnly=maybe')
      .set(secretary.headers)
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'unreadOnly']);
    await request(stack.api.getHttpServer())
      .post('/api/units/xh-s01/inbox/999999/read')
      .set(secretary.headers)
      .expect(404);
    // The office reads every unit's inbox.
    await request(stack.api.getHttpServer()).get('/api/units/xh-s01/inbox').set(office.headers).expect(200);
  });

  it('ranks the bulletin list by days overdue and exports it as CSV and xlsx', async () => {
    // A second school under the same 党总支, put on the bulletin by an office escalation notice (not by the flag).
    const s02 = randomUUID();
    await stack.db.query(
      `INSERT INTO unit (id, code, name, kind, parent_id) VALUES ($1, 'xh-s02', '第二中学党支部', 'school', $2)`,
      [s02, s.parentId],
    );
    await stack.db.query(
      `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status) VALUES ($1, $2, 2, 'school', $3, 'running')`,
      [s.cycleId, s02, `w-${s02}`],
    );
    const step = (unitId: string, key: string, title: string, due: string, status: string, onBulletin: boolean) =>
      stack.db.query(
        `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at, original_due_at, on_bulletin, seq)
         VALUES ($1, $2, $3, 'study', $4, true, $5, '2009-03-15T00:00:00Z', $6, $6, $7, 1)`,
        [s.cycleId, unitId, key, title, status, due, onBulletin],
      );
    await step(s.unitId, 'study-research', '开展学习调研', DUE_AT, 'open', true); // 10 days overdue
    await step(s.unitId, 'discussion', '解放思想讨论', '2009-05-05T09:00:00Z', 'accepted', true); // done: not listed
    await step(s02, 'study-research', '开展学习调研', '2009-04-20T09:00:00Z', 'returned', false); // 20 days overdue
    await stack.db.query(
      `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at)
       VALUES ('s02-office', $1, $2, 'study-research', 'escalation', 0, 2, 'office', '2009-05-04T09:00:00Z', '2009-04-20T09:00:00Z')`,
      [s.cycleId, s02],
    );
    const asOf = '2009-05-10T09:00:00.000Z';
    const res = await request(stack.api.getHttpServer())
      .get(`/api/cycles/${s.cycleId}/bulletin?asOf=${asOf}`)
      .set(office.headers)
      .expect(200);
    expect(res.body).toEqual({
      cycleId: s.cycleId,
      cycleName: '2009 学习实践活动',
      timeZone: 'Asia/Shanghai',
      asOf,
      entries: [
        {
          rank: 1,
          unitCode: 'xh-s02',
          unitName: '第二中学党支部',
          unitKind: 'school',
          parentName: '小学党总支',
          daysOverdue: 20,
          steps: [
            {
              stepKey: 'study-research',
              title: '开展学习调研',
              stageKey: 'study',
              dueAt: '2009-04-20T09:00:00.000Z',
              daysOverdue: 20,
              status: 'returned',
            },
          ],
        },
        {
          rank: 2,
          unitCode: 'xh-s01',
          unitName: '第一中学党支部',
          unitKind: 'school',
          parentName: '小学党总支',
          daysOverdue: 10,
          steps: [
            {
              stepKey: 'study-research',
              title: '开展学习调研',
              stageKey: 'study',
              dueAt: DUE_AT,
              daysOverdue: 10,
              status: 'open',
            },
          ],
        },
      ],
    });

    const csv = await request(stack.api.getHttpServer())
      .get(`/api/cycles/${s.cycleId}/bulletin/export?format=csv&asOf=${asOf}`)
      .set(office.headers)
      .expect(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="bulletin-${s.cycleId}.csv"`);
    expect(csv.text).toBe(
      '\uFEFF排名 Rank,单位代码 Code,单位名称 Unit,类型 Kind,上级单位 Parent,逾期天数 Days overdue,逾期环节 Overdue steps\r\n' +
        '1,xh-s02,第二中学党支部,school,小学党总支,20,开展学习调研（20天）\r\n' +
        '2,xh-s01,第一中学党支部,school,小学党总支,10,开展学习调研（10天）\r\n',
    );

    const xlsx = await request(stack.api.getHttpServer())
      .get(`/api/cycles/${s.cycleId}/bulletin/export?format=xlsx&asOf=${asOf}`)
      .set(office.headers)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      })
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const sheet = book.getWorksheet('通报 Bulletin')!;
    // rows 1–3: title, date, blank; row 4: header (repeated on every printed page); kinds in Chinese
    expect(sheet.getRow(5).values).toEqual([
      undefined,
      1,
      'xh-s02',
      '第二中学党支部',
      '中小学',
      '小学党总支',
      20,
      '开展学习调研（20天）',
    ]);
    expect(sheet.getRow(6).values).toEqual([
      undefined,
      2,
      'xh-s01',
      '第一中学党支部',
      '中小学',
      '小学党总支',
      10,
      '开展学习调研（10天）',
    ]);
    expect(sheet.rowCount).toBe(6);
  });

  it('validates bulletin requests and keeps units out of it', async () => {
    const bad = await request(stack.api.getHttpServer())
      .get(`/api/cycles/${s.cycleId}/bulletin/export?format=pdf&asOf=yesterday`)
      .set(office.headers)
      .expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['asOf', 'format']);
    await request(stack.api.getHttpServer())
      .get(`/api/cycles/${randomUUID()}/bulletin`)
      .set(office.headers)
      .expect(404);
    await request(stack.api.getHttpServer())
      .get(`/api/cycles/${s.cycleId}/bulletin`)
      .set(secretary.headers)
      .expect(403);
  });

  it('documents every notice endpoint in the OpenAPI document', async () => {
    const doc = await request(stack.api.getHttpServer()).get('/docs/openapi.json').expect(200);
    const paths = Object.keys(doc.body.paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/units/{code}/inbox',
        '/api/units/{code}/inbox/unread-count',
        '/api/units/{code}/inbox/{id}/read',
        '/api/admin/dead-letters',
        '/api/admin/dead-letters/{id}/retry',
        '/api/cycles/{id}/bulletin',
        '/api/cycles/{id}/bulletin/export',
      ]),
    );
    expect(doc.body.paths['/api/admin/dead-letters/{id}/retry'].post.summary).toMatch(/dead delivery/);
  });
});

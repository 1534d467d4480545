import ExcelJS from 'exceljs';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { insertUnit, loginAs, type LoggedIn } from '../../support/auth';
import { DUE_AT, seedCampaign, type Seeded } from '../notifications/support/seed';
import { useTestApi } from '../../support/test-stack';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(64, 0x20)]);
const binary = (r: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
};

/** What the office console's review queue, overdue/bulletin, dead-letter and audit pages read (real api, real database). */
describe('office console pages: API', () => {
  const stack = useTestApi({ env: { ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'att-')) } });
  let s: Seeded;
  let secretary: LoggedIn;
  let reviewer: LoggedIn;
  let admin: LoggedIn;
  let s02: string;
  const http = () => request(stack.api.getHttpServer());

  /** A submitted version (as SubmissionReviewService.submit leaves it), submitted at `at`. */
  const submitted = async (
    unitId: string,
    at: string,
    versions: ('returned' | null)[] = [null],
    stepKey = 'study-research',
  ) => {
    const id = randomUUID();
    await stack.db.query(
      `INSERT INTO submission (id, cycle_id, unit_id, step_key, status, draft, created_by, current_version) VALUES ($1, $2, $3, $6, 'submitted', '{"deliverables":[]}', $4, $5)`,
      [id, s.cycleId, unitId, secretary.user.id, versions.length, stepKey],
    );
    for (const [i, decision] of versions.entries()) {
      const content = {
        deliverables: [
          { key: 'research-report', kind: 'report', text: `调研报告 v${i + 1}`, attachments: [] },
          { key: 'opinions', kind: 'free_form', text: '意见', attachments: [] },
        ],
      };
      await stack.db.query(
        `INSERT INTO submission_version (id, submission_id, version, content, submitted_by, submitted_at, decision, decided_at, review_comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [
          randomUUID(),
          id,
          i + 1,
          JSON.stringify(content),
          secretary.user.id,
          new Date(Date.parse(at) - (versions.length - 1 - i) * 86_400_000),
          decision,
          decision ? at : null,
          decision ? '请补充' : null,
        ],
      );
    }
    return id;
  };

  beforeAll(async () => {
    s = await seedCampaign(stack.db.dataSource, {
      wecom: 'http://127.0.0.1:9/w',
      dingtalk: 'http://127.0.0.1:9/d',
      webhook: 'http://127.0.0.1:9/h',
    });
    secretary = await loginAs(stack.api, 'unit_secretary', s.unitId);
    reviewer = await loginAs(stack.api, 'office_reviewer');
    admin = await loginAs(stack.api, 'office_admin');
    s02 = randomUUID();
    await stack.db.query(
      `INSERT INTO unit (id, code, name, kind, parent_id) VALUES ($1, 'xh-s02', '第二中学党支部', 'school', $2)`,
      [s02, s.parentId],
    );
    await stack.db.query(
      `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status) VALUES ($1, $2, 2, 'school', $3, 'running')`,
      [s.cycleId, s02, `w-${s02}`],
    );
  });

  it('review queue: versions awaiting a decision, oldest first, deliverables titled from the plan; office and auditors only', async () => {
    const newer = await submitted(s.unitId, '2009-04-20T02:00:00.000Z', ['returned', null]);
    const older = await submitted(s02, '2009-04-18T02:00:00.000Z');
    const decided = await submitted(s.unitId, '2009-04-01T00:00:00.000Z', [null], 'discussion');
    await stack.db.query(`UPDATE submission SET status = 'accepted' WHERE id = $1`, [decided]);
    const res = await http()
      .get(`/api/submissions/review-queue?cycleId=${s.cycleId}`)
      .set(reviewer.headers)
      .expect(200);
    expect(res.body.total).toBe(2);
    expect(
      res.body.items.map((i: { submissionId: string; version: number; unitCode: string; returnedBefore: number }) => [
        i.submissionId,
        i.version,
        i.unitCode,
        i.returnedBefore,
      ]),
    ).toEqual([
      [older, 1, 'xh-s02', 0],
      [newer, 2, 'xh-s01', 1],
    ]);
    expect(res.body.items[1]).toMatchObject({
      cycleName: '2009 学习实践活动',
      timeZone: 'Asia/Shanghai',
      unitName: '第一中学党支部',
      stepKey: 'study-research',
      stepTitle: '开展学习调研',
      submittedAt: '2009-04-20T02:00:00.000Z',
      submittedBy: secretary.user.email,
      deliverables: [
        { key: 'research-report', kind: 'report', title: '调研报告', text: '调研报告 v2', attachments: [] },
        { key: 'opinions', kind: 'free_form', title: '听取意见情况', text: '意见', attachments: [] },
      ],
    });
    const one = await http().get(`/api/submissions/review-queue?limit=1`).set(reviewer.headers).expect(200);
    expect([one.body.total, one.body.items.length]).toEqual([2, 1]);
    const bad = await http().get('/api/submissions/review-queue?limit=0&cycleId=x').set(reviewer.headers).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['cycleId', 'limit']);
    await http().get('/api/submissions/review-queue').set(secretary.headers).expect(403);
    await http()
      .get('/api/submissions/review-queue')
      .set((await loginAs(stack.api, 'auditor')).headers)
      .expect(200);
  });

  it('attachments preview inline only for PDFs and images; other types still download', async () => {
    // a third school drafts through the api (no workflow needed to draft and upload)
    const s03 = await insertUnit(stack.api, 'xh-s03', { parentId: s.parentId });
    await stack.db.query(
      `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status) VALUES ($1, $2, 3, 'school', $3, 'running')`,
      [s.cycleId, s03, `w-${s03}`],
    );
    const writer = await loginAs(stack.api, 'unit_secretary', s03);
    const draft = await http()
      .post('/api/submissions')
      .set(writer.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ cycleId: s.cycleId, unitId: s03, stepKey: 'study-research', deliverables: [] })
      .expect(201);
    const id = draft.body.id;
    const upload = (file: Buffer, filename: string, contentType: string) =>
      http()
        .post(`/api/submissions/${id}/attachments`)
        .set(writer.headers)
        .set('Idempotency-Key', randomUUID())
        .field('deliverableKey', 'research-report')
        .attach('file', file, { filename, contentType })
        .expect(201);
    const pdf = (await upload(PDF, '调研报告.pdf', 'application/pdf')).body;
    const txt = (await upload(Buffer.from('纪要'), 'notes.txt', 'text/plain')).body;
    const get = (att: string, q = '') =>
      http().get(`/api/submissions/${id}/attachments/${att}${q}`).set(reviewer.headers).buffer(true).parse(binary);
    const inline = await get(pdf.id, '?disposition=inline').expect(200);
    expect(inline.headers['content-type']).toBe('application/pdf');
    expect(inline.headers['content-disposition']).toBe(
      `inline; filename*=UTF-8''${encodeURIComponent('调研报告.pdf')}`,
    );
    expect(Buffer.compare(inline.body, PDF)).toBe(0);
    expect((await get(pdf.id).expect(200)).headers['content-disposition']).toMatch(/^attachment; /);
    expect((await get(txt.id, '?disposition=inline').expect(200)).headers['content-disposition']).toBe(
      "attachment; filename*=UTF-8''notes.txt",
    );
    const bad = await http()
      .get(`/api/submissions/${id}/attachments/${pdf.id}?disposition=embed`)
      .set(reviewer.headers)
      .expect(400);
    expect(bad.body.details).toEqual([{ field: 'disposition', problem: 'must be attachment or inline' }]);
    const other = await loginAs(stack.api, 'unit_secretary', s02);
    await http().get(`/api/submissions/${id}/attachments/${pdf.id}?disposition=inline`).set(other.headers).expect(403);
  });

  it('overdue list by days late with the escalation rung, and the bulletin workbook ready to print', async () => {
    const step = (
      unitId: string,
      key: string,
      title: string,
      due: string,
      status: string,
      level: number,
      onBulletin: boolean,
    ) =>
      stack.db.query(
        `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at, original_due_at, escalation_level, on_bulletin, seq)
         VALUES ($1, $2, $3, 'study', $4, true, $5, '2009-03-15T00:00:00Z', $6, $6, $7, $8, 1)`,
        [s.cycleId, unitId, key, title, status, due, level, onBulletin],
      );
    await step(s.unitId, 'study-research', '开展学习调研', DUE_AT, 'open', 1, false); // 10 days late
    await step(s.unitId, 'discussion', '解放思想讨论', '2009-05-05T09:00:00Z', 'accepted', 0, false);
    await step(s02, 'study-research', '开展学习调研', '2009-04-20T09:00:00Z', 'returned', 3, true); // 20 days late
    const asOf = '2009-05-10T09:00:00.000Z';
    const overdue = await http().get(`/api/cycles/${s.cycleId}/overdue?asOf=${asOf}`).set(reviewer.headers).expect(200);
    expect(overdue.body).toMatchObject({ cycleName: '2009 学习实践活动', timeZone: 'Asia/Shanghai', asOf, total: 2 });
    expect(
      overdue.body.items.map((i: any) => [
        i.unitCode,
        i.stepTitle,
        i.status,
        i.daysOverdue,
        i.escalationLevel,
        i.onBulletin,
        i.parentName,
      ]),
    ).toEqual([
      ['xh-s02', '开展学习调研', 'returned', 20, 3, true, '小学党总支'],
      ['xh-s01', '开展学习调研', 'open', 10, 1, false, '小学党总支'],
    ]);
    await http().get(`/api/cycles/${s.cycleId}/overdue`).set(secretary.headers).expect(403);
    expect(
      (await http().get(`/api/cycles/${s.cycleId}/overdue?limit=9999`).set(reviewer.headers).expect(400)).body
        .details[0].field,
    ).toBe('limit');

    const xlsx = await http()
      .get(`/api/cycles/${s.cycleId}/bulletin/export?format=xlsx&asOf=${asOf}`)
      .set(reviewer.headers)
      .buffer(true)
      .parse(binary)
      .expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    const sheet = book.getWorksheet('通报 Bulletin')!;
    expect(sheet.getCell('A1').value).toBe('2009 学习实践活动 逾期单位通报');
    expect(sheet.getCell('A1').isMerged).toBe(true);
    expect(sheet.getCell('A2').value).toBe('统计时间：2009年5月10日 17:00　　共 1 个单位');
    expect(sheet.getRow(4).values).toEqual([
      undefined,
      '排名',
      '单位代码',
      '单位名称',
      '类型',
      '上级单位',
      '逾期天数',
      '逾期环节',
    ]);
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
    expect(sheet.rowCount).toBe(5);
    for (const address of ['A4', 'G4', 'A5', 'G5']) {
      expect(sheet.getCell(address).border).toEqual({
        top: { style: 'thin', color: { argb: 'FF000000' } },
        left: { style: 'thin', color: { argb: 'FF000000' } },
        bottom: { style: 'thin', color: { argb: 'FF000000' } },
        right: { style: 'thin', color: { argb: 'FF000000' } },
      });
    }
    expect(sheet.pageSetup).toMatchObject({
      paperSize: 9,
      orientation: 'landscape',
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      printTitlesRow: '4:4',
    });
    expect(sheet.headerFooter.oddFooter).toBe('第 &P 页，共 &N 页');
  });

  it('dead letters filter by channel, reason and date; the audit log by actor, action prefix and date', async () => {
    const [notice] = await stack.db.query(
      `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at)
       VALUES ('dl-test', $1, $2, 'study-research', 'due', 0, 0, 'unit', $3, $3) RETURNING id`,
      [s.cycleId, s.unitId, DUE_AT],
    );
    const dead = async (channel: string, address: string, error: string, deadAt: string) => {
      const id = randomUUID();
      await stack.db.query(
        `INSERT INTO notice_delivery (id, dedupe_key, notice_id, channel, recipient_unit_id, recipient_name, address, recipient, locale, critical, message_id, status, attempts, last_error, dead_at)
         VALUES ($1, $2, $3, $4, $5, '李明', $6, '{}', 'zh-CN', true, $2, 'dead', 1, $7, $8)`,
        [id, `dl|${id}`, notice.id, channel, s.unitId, address, error, deadAt],
      );
      return id;
    };
    const smtp = await dead(
      'email',
      'gone@xh.example.cn',
      'SMTP 550: 550 5.1.1 mailbox unavailable',
      '2026-11-01T00:00:00Z',
    );
    const hook = await dead(
      'webhook',
      'http://127.0.0.1:9/h',
      'POST http://127.0.0.1:9/h answered HTTP 503',
      '2026-11-20T00:00:00Z',
    );
    const ids = async (q: string) =>
      (await http().get(`/api/admin/dead-letters${q}`).set(admin.headers).expect(200)).body.map(
        (d: { id: string }) => d.id,
      );
    expect(await ids('')).toEqual([hook, smtp]);
    expect(await ids('?reason=MAILBOX')).toEqual([smtp]);
    expect(await ids('?channel=webhook&reason=503')).toEqual([hook]);
    expect(await ids('?from=2026-11-10T00:00:00Z')).toEqual([hook]);
    expect(await ids('?to=2026-11-10T00:00:00Z')).toEqual([smtp]);
    expect(await ids('?reason=%25')).toEqual([]); // % is a plain character, not a wildcard
    const bad = await http().get('/api/admin/dead-letters?from=last-week').set(admin.headers).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field)).toEqual(['from']);

    const entries = async (q: string) => (await http().get(`/api/audit-log${q}`).set(admin.headers).expect(200)).body;
    const submissions = await entries('?actionPrefix=submission.');
    expect(submissions.length).toBeGreaterThan(0);
    expect(submissions.every((e: { action: string }) => e.action.startsWith('submission.'))).toBe(true);
    const writerEmail = submissions[0].actorEmail as string;
    const byActor = await entries(`?actor=${encodeURIComponent(writerEmail.toUpperCase())}`);
    expect(byActor.map((e: { action: string }) => e.action)).toEqual([
      'submission.attach',
      'submission.attach',
      'submission.create',
      'auth.login',
    ]);
    expect(new Set(byActor.map((e: { actorEmail: string }) => e.actorEmail))).toEqual(new Set([writerEmail]));
    expect(await entries('?actionPrefix=submission.&from=2099-01-01T00:00:00Z')).toEqual([]);
    expect(Object.keys(submissions[0]).sort()).toEqual([
      'action',
      'actorEmail',
      'actorId',
      'actorRoles',
      'after',
      'at',
      'before',
      'entity',
      'entityId',
      'id',
      'ip',
    ]);
  });
});

import type { INestApplication } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApi } from '../../support/api';
import { insertUnit, LoggedIn, loginAs } from '../../support/auth';
import { insertCycle } from '../../support/cycle-fixtures';
import { createTestDatabase, TestDatabase } from '../../support/database';

const MAX_BYTES = 4096;
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(100, 0x20)]);

/** Bad input is refused with field-level 400s and leaves every table as it was; retries never write twice. */
describe('submissions: bad input, attachments, idempotency', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let attachmentDir: string;
  let cycleId: string, unitA: string;
  let secA: LoggedIn;
  const http = () => request(app.getHttpServer());
  const tables = ['submission', 'submission_version', 'submission_attachment', 'idempotency_key', 'audit_log'];
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(tables.map(async (t) => [t, (await db.query(`SELECT count(*)::int AS n FROM ${t}`))[0].n])),
    );
  const create = (body: object, key: string = randomUUID()) =>
    http()
      .post('/api/submissions')
      .set(secA.headers)
      .set('Idempotency-Key', key)
      .send({ cycleId, unitId: unitA, ...body });
  const fields = (res: request.Response) =>
    res.body.details.map((d: { field: string; problem: string }) => `${d.field}: ${d.problem}`);

  beforeAll(async () => {
    db = await createTestDatabase();
    attachmentDir = mkdtempSync(join(tmpdir(), 'att-'));
    app = await createTestApi({
      databaseUrl: db.url,
      env: { ATTACHMENT_DIR: attachmentDir, ATTACHMENT_MAX_BYTES: String(MAX_BYTES) },
    });
    unitA = await insertUnit(app, 'A');
    cycleId = await insertCycle(db.dataSource, [unitA]);
    secA = await loginAs(app, 'unit_secretary', unitA);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('400s an unknown step, a wrong deliverable kind, an unknown deliverable, malformed dates — writing nothing', async () => {
    const before = await counts();
    const unknownStep = await create({ stepKey: 'no-such-step', deliverables: [] }).expect(400);
    expect(fields(unknownStep)).toEqual(["stepKey: is not a step of this unit's plan"]);

    const wrong = await create({
      stepKey: 'study-research',
      deliverables: [
        { key: 'research-report', kind: 'meeting_minutes', text: 'x' },
        { key: 'exchange-minutes', kind: 'meeting_minutes', fields: { meetingDate: '2026-13-01', attendees: 'many' } },
        { key: 'photos', kind: 'free_form', text: 'x' },
      ],
    }).expect(400);
    expect(fields(wrong)).toEqual([
      'deliverables[0].kind: must be report for deliverable research-report',
      'deliverables[1].fields.meetingDate: is not a calendar date',
      'deliverables[1].fields.attendees: must be a number',
      'deliverables[2].key: is not a deliverable of step study-research (expected one of: research-report, exchange-minutes)',
    ]);

    const shape = await http()
      .post('/api/submissions')
      .set(secA.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ cycleId: 'nope', deliverables: [{ kind: 'poem' }] })
      .expect(400);
    expect(shape.body.details.map((d: { field: string }) => d.field)).toEqual(
      expect.arrayContaining(['cycleId', 'unitId', 'stepKey', 'deliverables[0].key', 'deliverables[0].kind']),
    );
    const noKey = await http()
      .post('/api/submissions')
      .set(secA.headers)
      .send({ cycleId, unitId: unitA, stepKey: 'study-research', deliverables: [] })
      .expect(400);
    expect(noKey.body.details).toEqual([
      { field: 'Idempotency-Key', problem: expect.stringMatching(/^header is required/) },
    ]);
    const otherCycle = await http()
      .post('/api/submissions')
      .set(secA.headers)
      .set('Idempotency-Key', randomUUID())
      .send({ cycleId: randomUUID(), unitId: unitA, stepKey: 'study-research', deliverables: [] })
      .expect(400);
    expect(fields(otherCycle)).toEqual(['unitId: takes no part in this cycle (or the cycle is unknown)']);
    expect(await counts()).toEqual(before);
  });

  it('checks rectification plan items field by field', async () => {
    const before = await counts();
    const res = await create({
      stepKey: 'rectification-plan',
      deliverables: [
        {
          key: 'plan',
          kind: 'plan_with_items',
          fields: {
            items: [
              {
                goal: '提高满意度',
                project: '家校沟通',
                deadline: '2026-06-31',
                measures: '每月开放日',
                responsible: '',
              },
            ],
          },
        },
        { key: 'hours', kind: 'attendance_hours', fields: { hours: -3, from: '2026-05-01', to: '2026-04-01' } },
      ],
    }).expect(400);
    expect(fields(res)).toEqual([
      'deliverables[0].fields.items[0].deadline: is not a calendar date',
      'deliverables[0].fields.items[0].responsible: must not be empty',
      'deliverables[1].fields.hours: must be ≥ 0',
    ]);
    expect(await counts()).toEqual(before);
  });

  describe('on a draft', () => {
    let id: string;
    beforeAll(async () => {
      id = (
        await create({
          stepKey: 'study-research',
          deliverables: [{ key: 'research-report', kind: 'report', text: '草稿' }],
        }).expect(201)
      ).body.id;
    });

    it('400s submitting an incomplete draft and writes nothing (no version, no status change, no audit)', async () => {
      const before = await counts();
      const res = await http()
        .post(`/api/submissions/${id}/submit`)
        .set(secA.headers)
        .set('Idempotency-Key', randomUUID())
        .expect(400);
      expect(fields(res)).toEqual(['deliverables: required deliverable exchange-minutes (meeting_minutes) is missing']);
      await http()
        .put(`/api/submissions/${id}/draft`)
        .set(secA.headers)
        .send({
          deliverables: [
            { key: 'research-report', kind: 'report', text: ' ' },
            { key: 'exchange-minutes', kind: 'meeting_minutes', fields: { meetingDate: '2026-03-20' } },
          ],
        })
        .expect(200);
      const res2 = await http()
        .post(`/api/submissions/${id}/submit`)
        .set(secA.headers)
        .set('Idempotency-Key', randomUUID())
        .expect(400);
      expect(fields(res2)).toEqual([
        'deliverables[0].text: is required',
        'deliverables[1].text: is required',
        'deliverables[1].fields.attendees: is required',
      ]);
      expect(await db.query(`SELECT status, current_version FROM submission WHERE id = $1`, [id])).toEqual([
        { status: 'draft', current_version: 0 },
      ]);
      const after = await counts();
      expect(after).toEqual({ ...before, audit_log: before.audit_log + 1 }); // only the PUT above
    });

    it('stores an attachment with its sha-256 on disk and serves it back', async () => {
      const res = await http()
        .post(`/api/submissions/${id}/attachments`)
        .set(secA.headers)
        .set('Idempotency-Key', randomUUID())
        .field('deliverableKey', 'research-report')
        .attach('file', PDF, { filename: '调研报告.pdf', contentType: 'application/pdf' })
        .expect(201);
      const sha = createHash('sha256').update(PDF).digest('hex');
      expect(res.body).toMatchObject({
        deliverableKey: 'research-report',
        fileName: '调研报告.pdf',
        mimeType: 'application/pdf',
        sizeBytes: PDF.length,
        sha256: sha,
      });
      expect(readFileSync(join(attachmentDir, sha.slice(0, 2), sha))).toEqual(PDF);
      const down = await http()
        .get(`/api/submissions/${id}/attachments/${res.body.id}`)
        .set(secA.headers)
        .buffer(true)
        .parse((r, cb) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => cb(null, Buffer.concat(chunks)));
        });
      expect(down.status).toBe(200);
      expect(down.headers['content-type']).toBe('application/pdf');
      expect(down.headers['x-content-type-options']).toBe('nosniff');
      expect(down.headers['content-disposition']).toBe(
        `attachment; filename*=UTF-8''${encodeURIComponent('调研报告.pdf')}`,
      );
      expect(down.body).toEqual(PDF);
      // referencing it from another deliverable is refused
      const wrongOwner = await http()
        .put(`/api/submissions/${id}/draft`)
        .set(secA.headers)
        .send({
          deliverables: [
            { key: 'exchange-minutes', kind: 'meeting_minutes', attachmentIds: [res.body.id, randomUUID()] },
          ],
        })
        .expect(400);
      expect(fields(wrongOwner)).toEqual([
        'deliverables[0].attachmentIds[0]: was uploaded for deliverable research-report, not exchange-minutes',
        'deliverables[0].attachmentIds[1]: unknown attachment of this submission',
      ]);
    });

    it('400s oversized, disallowed, disguised, missing files and unknown deliverables — no row, no file', async () => {
      const before = await counts();
      const upload = (
        file: Buffer | null,
        filename: string,
        contentType: string,
        deliverableKey = 'research-report',
      ) => {
        const r = http()
          .post(`/api/submissions/${id}/attachments`)
          .set(secA.headers)
          .set('Idempotency-Key', randomUUID())
          .field('deliverableKey', deliverableKey);
        return file ? r.attach('file', file, { filename, contentType }) : r;
      };
      const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(MAX_BYTES, 0x20)]);
      expect(fields(await upload(big, 'big.pdf', 'application/pdf').expect(400))).toEqual([
        'file: is larger than the attachment size limit (ATTACHMENT_MAX_BYTES)',
      ]);
      expect(
        fields(await upload(Buffer.from('MZ\x90\x00'), 'x.exe', 'application/x-msdownload').expect(400))[0],
      ).toMatch(/^file: type application\/x-msdownload is not accepted/);
      expect(
        fields(await upload(Buffer.from('MZ\x90\x00not a pdf'), 'fake.pdf', 'application/pdf').expect(400)),
      ).toEqual(['file: content is not application/pdf']);
      expect(fields(await upload(Buffer.from([0xff, 0xfe, 0x00, 0x01]), 'bin.txt', 'text/plain').expect(400))).toEqual([
        'file: content is not text/plain (UTF-8 text)',
      ]);
      expect(fields(await upload(null, '', '').expect(400))).toEqual(['file: is required (multipart field "file")']);
      expect(fields(await upload(PDF, 'a.pdf', 'application/pdf', 'nope').expect(400))).toEqual([
        'deliverableKey: is not a deliverable of step study-research',
      ]);
      expect(await counts()).toEqual(before);
      expect(existsSync(join(attachmentDir, createHash('sha256').update(big).digest('hex').slice(0, 2)))).toBe(false);
    });
  });

  it('replays a retried POST with the same Idempotency-Key: one submission, the same response', async () => {
    const key = randomUUID();
    const body = {
      stepKey: 'rectification-plan',
      deliverables: [{ key: 'hours', kind: 'attendance_hours', fields: { hours: 12 } }],
    };
    const before = await counts();
    const [first, second] = await Promise.all([create(body, key), create(body, key)]);
    const third = await create(body, key);
    expect([first.status, second.status, third.status]).toEqual([201, 201, 201]);
    expect(second.body).toEqual(first.body);
    expect(third.body).toEqual(first.body);
    expect(await counts()).toEqual({
      ...before,
      submission: before.submission + 1,
      idempotency_key: before.idempotency_key + 1,
      audit_log: before.audit_log + 1,
    });
    const reused = await create({ ...body, deliverables: [] }, key).expect(422);
    // the whole canonical request is compared: the answer names the field that differs
    expect(reused.body).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      details: [{ field: 'deliverables', problem: 'differs from the first request made with this Idempotency-Key' }],
    });
    // a new key for the same step is a second submission attempt: 409, naming the existing one
    const dup = await create(body).expect(409);
    expect(dup.body.message).toContain(first.body.id);
    expect(await counts()).toEqual({
      ...before,
      submission: before.submission + 1,
      idempotency_key: before.idempotency_key + 1,
      audit_log: before.audit_log + 1,
    });
  });
});

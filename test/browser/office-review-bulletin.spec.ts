import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { seriousA11yViolations } from './support/a11y';
import { screenshot } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { openConsole, signIn, type ConsolePage } from './support/console-page';
import {
  seedCyclesTree,
  startCycleAsOffice,
  unitWorkflowsStarted,
  startConsoleStack,
  type Account,
  type ConsoleStack,
} from './support/stack';
import { eventually } from '../support/eventually';
import { evaluationBody, overallQuestion } from '../support/evaluation-fixtures';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
/** antd writes two-character Chinese button labels with a space between them (通 过). */
const button = (text: string) => new RegExp(`^${[...text].join('\\s*')}$`);

/**
 * The office's review queue, overdue/bulletin, evaluations, dead letters and audit log, in Chromium against the real
 * stack (api serving the built console, worker, Temporal dev server, PostgreSQL).
 */
describe('console: review queue, overdue and bulletin, evaluations, dead letters, audit log (Chromium)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let cycleId: string;
  let units: Record<string, string>;
  let secretaries: Record<string, Account>;
  let session: ConsolePage;
  let page: Page;

  /** A unit secretary drafts, attaches files and submits through the api, as the units' side will. */
  const submit = async (code: string, text: string, files: { name: string; type: string; data: Buffer }[] = []) => {
    const as = secretaries[code];
    const call = (path: string, init: RequestInit) =>
      fetch(`${stack.baseUrl}${path}`, {
        ...init,
        headers: { ...as.headers, 'Idempotency-Key': crypto.randomUUID(), ...(init.headers as object) },
      });
    const json = (body: object) => ({ body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const draft = await call('/api/submissions', {
      method: 'POST',
      ...json({
        cycleId,
        unitId: units[code],
        stepKey: 'study-record',
        deliverables: [{ key: 'record', kind: 'report', text }],
      }),
    });
    expect(draft.status).toBe(201);
    const id = ((await draft.json()) as { id: string }).id;
    const attachmentIds: string[] = [];
    for (const f of files) {
      const form = new FormData();
      form.append('deliverableKey', 'record');
      form.append('file', new Blob([new Uint8Array(f.data)], { type: f.type }), f.name);
      const up = await call(`/api/submissions/${id}/attachments`, { method: 'POST', body: form });
      expect(up.status).toBe(201);
      attachmentIds.push(((await up.json()) as { id: string }).id);
    }
    if (attachmentIds.length)
      expect(
        (
          await call(`/api/submissions/${id}/draft`, {
            method: 'PUT',
            ...json({ deliverables: [{ key: 'record', kind: 'report', text, attachmentIds }] }),
          })
        ).status,
      ).toBe(200);
    const submitted = await call(`/api/submissions/${id}/submit`, { method: 'POST' });
    expect({ status: submitted.status, body: submitted.status === 200 ? undefined : await submitted.text() }).toEqual({
      status: 200,
      body: undefined,
    });
    return id;
  };

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
    await seedCyclesTree(stack);
    units = Object.fromEntries(
      (await stack.db.query(`SELECT code, id FROM unit`)).map((u: { code: string; id: string }) => [u.code, u.id]),
    );
    // started in March: by now (December) the first step of every unit is long overdue
    cycleId = await startCycleAsOffice(
      stack,
      {
        templateKey: 'it-two-stage',
        name: '2026 学习实践活动',
        startsAt: '2026-03-02',
        units: { subtreeOf: 'xh-gb1', kinds: ['school', 'kindergarten'] },
      },
      'browser-office-1',
    );
    await eventually(
      () =>
        stack.db.query(
          `SELECT count(*)::int AS n FROM unit_step_status WHERE cycle_id = $1 AND step_key = 'study-record' AND status = 'open'`,
          [cycleId],
        ),
      (r) => r[0].n === 3,
      60_000,
    );
    await unitWorkflowsStarted(stack, cycleId, 3);
    secretaries = {};
    for (const code of ['xh-s01', 'xh-k01'])
      secretaries[code] = await stack.account(['unit_secretary'], { unitId: units[code], displayName: `${code} 书记` });
    await submit('xh-k01', '幼儿园学习交流记录：全体党员参加学习三次。', [
      { name: '学习照片.png', type: 'image/png', data: PNG },
    ]);
    await submit('xh-s01', '中学学习交流记录：开展专题学习两次。', [
      { name: '调研报告.pdf', type: 'application/pdf', data: PDF },
    ]);
    session = await openConsole(browser, stack);
    page = session.page;
    await signIn(page, stack.office, '/review');
  });

  afterAll(async () => {
    await session?.context.close();
    await browser?.close();
    await stack?.close();
  });

  it('review queue: oldest first, previews inline, moves with j/k and returns one with a comment from the keyboard', async () => {
    await page.waitForURL(/\/review$/);
    const rows = page.getByTestId('review-row');
    await rows.nth(1).waitFor();
    expect(await rows.allTextContents()).toEqual([
      expect.stringContaining('第一幼儿园党支部'),
      expect.stringContaining('徐汇中学党支部'),
    ]);
    await page.getByText('待审核 2 份（最早提交的在前）').waitFor();
    await page.getByText('快捷键：').waitFor();
    // the oldest is selected: its text, and its PNG shown inline
    await page.getByText('幼儿园学习交流记录：全体党员参加学习三次。').waitFor();
    const img = page.getByRole('img', { name: '学习照片.png 预览' });
    await img.waitFor();
    await eventually(
      () => img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).naturalWidth),
      (w) => w === 1,
    );

    await page.keyboard.press('j');
    await page.getByText('中学学习交流记录：开展专题学习两次。').waitFor();
    expect(await page.locator('[data-testid="review-row"][aria-pressed="true"]').textContent()).toContain(
      '徐汇中学党支部',
    );
    const frame = page.locator('iframe[title="调研报告.pdf 预览"]');
    await frame.waitFor();
    const src = await frame.getAttribute('src');
    expect(src).toMatch(/\/api\/submissions\/[0-9a-f-]+\/attachments\/[0-9a-f-]+\?disposition=inline$/);
    const preview = await page.request.get(src!);
    expect([preview.status(), preview.headers()['content-type'], preview.headers()['content-disposition']]).toEqual([
      200,
      'application/pdf',
      `inline; filename*=UTF-8''${encodeURIComponent('调研报告.pdf')}`,
    ]);
    await page.keyboard.press('k');
    await page.getByText('幼儿园学习交流记录：全体党员参加学习三次。').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'review-queue');

    // r: the comment box takes the cursor; Ctrl+Enter returns the selected submission with the comment
    await page.keyboard.press('r');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id,
      ),
    ).toBe('review-comment');
    await page.keyboard.type('请补充学习时间和参加人数。');
    await screenshot(page, 'review-queue-return');
    await page.keyboard.press('Control+Enter');
    await page.getByText('已退回：第一幼儿园党支部「学习交流记录」').waitFor();
    // the next one is selected at once
    await page.getByText('中学学习交流记录：开展专题学习两次。').waitFor();
    await page.getByText('待审核 1 份（最早提交的在前）').waitFor();
    const [returned] = await stack.db.query(
      `SELECT s.status, v.decision, v.review_comment AS comment FROM submission s JOIN submission_version v ON v.submission_id = s.id WHERE s.unit_id = $1`,
      [units['xh-k01']],
    );
    expect(returned).toEqual({ status: 'returned', decision: 'returned', comment: '请补充学习时间和参加人数。' });
    await eventually(
      () =>
        stack.db.query(
          `SELECT status FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2 AND step_key = 'study-record'`,
          [cycleId, units['xh-k01']],
        ),
      (r) => r[0]?.status === 'returned',
    );
    // a: accept the remaining one; the queue is empty
    await page.keyboard.press('a');
    await page.getByText('已通过：徐汇中学党支部「学习交流记录」').waitFor();
    await page.getByText('没有待审核的材料').waitFor();
    await eventually(
      () =>
        stack.db.query(
          `SELECT status FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2 AND step_key = 'study-record'`,
          [cycleId, units['xh-s01']],
        ),
      (r) => r[0]?.status === 'accepted',
    );
    session.watch.assertClean();
  });

  it('overdue list by days late and rung; the bulletin exports a print-ready workbook', async () => {
    // the office rung of the ladder (P7D) fired for the second school: it is on the bulletin
    await stack.db.query(
      `UPDATE unit_step_status SET escalation_level = 3, on_bulletin = true WHERE cycle_id = $1 AND unit_id = $2`,
      [cycleId, units['xh-s02']],
    );
    await page.goto('/overdue');
    // k01's returned step and s02's open one; s01, accepted, moved on to 分析检查, whose step (due in April) is late too
    const [{ n }] = await stack.db.query(
      `SELECT count(*)::int AS n FROM unit_step_status WHERE cycle_id = $1 AND status IN ('open', 'returned') AND due_at < now()`,
      [cycleId],
    );
    expect(n).toBe(3);
    await page.getByRole('tab', { name: /逾期清单（3）/ }).waitFor();
    await page
      .getByRole('row', { name: /徐汇中学党支部/ })
      .getByText('分析检查报告')
      .waitFor();
    await screenshot(page, 'overdue-loading');
    const late = page.getByRole('row', { name: /第二中学党支部/ });
    await late.getByText('第 3 级').waitFor();
    await page
      .getByRole('row', { name: /第一幼儿园党支部/ })
      .getByText('已退回')
      .waitFor();
    await page.locator('.ant-segmented-item', { hasText: '已通报' }).click();
    await page.getByRole('row', { name: /第一幼儿园党支部/ }).waitFor({ state: 'detached' });
    expect(await page.locator('tr.ant-table-row').count()).toBe(1);
    await late.waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'overdue');

    await page.getByRole('tab', { name: /通报名单（1）/ }).click();
    await page.getByRole('cell', { name: '第二中学党支部（xh-s02）', exact: true }).waitFor();
    await screenshot(page, 'bulletin');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出 Excel/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`bulletin-${cycleId}.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('通报 Bulletin')!;
    expect(sheet.getCell('A1').value).toBe('2026 学习实践活动 逾期单位通报');
    expect(String(sheet.getCell('A2').value)).toMatch(/^统计时间：2026年\d+月\d+日 \d\d:\d\d　　共 1 个单位$/);
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
    const row = sheet.getRow(5).values as unknown[];
    expect(row.slice(1, 6)).toEqual([1, 'xh-s02', '第二中学党支部', '中小学', '小学幼教党总支']);
    expect(row[7]).toMatch(/^学习交流记录（\d+天）$/);
    expect(sheet.rowCount).toBe(5);
    expect(sheet.getCell('C5').border.bottom).toEqual({ style: 'thin', color: { argb: 'FF000000' } });
    expect(sheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', printTitlesRow: '4:4' });
    session.watch.assertClean();
  });

  it('evaluation results per unit and per question, who has not answered, and reminders', async () => {
    const created = await stack.api('/api/evaluations', {
      method: 'POST',
      headers: { 'Idempotency-Key': 'browser-eval-1' },
      body: JSON.stringify(
        evaluationBody({ questions: [overallQuestion(), { key: 'comment', text: '意见建议', type: 'text' }] }),
      ),
    });
    expect(created.status).toBe(201);
    const evaluationId = ((await created.json()) as { id: string }).id;
    const issue = async (key: string, body: object) => {
      const res = await stack.api(`/api/evaluations/${evaluationId}/tokens`, {
        method: 'POST',
        headers: { 'Idempotency-Key': key },
        body: JSON.stringify(body),
      });
      return ((await res.json()) as { tokens: { token: string }[] }).tokens.map((t) => t.token);
    };
    const tokens = await issue('browser-tok-1', { unitId: units['xh-s01'], count: 4 });
    await issue('browser-tok-2', { unitId: units['xh-s02'], recipients: ['张老师', '李老师'] });
    for (const [i, overall] of [5, 4, 3].entries()) {
      const res = await fetch(`${stack.baseUrl}/api/evaluations/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: tokens[i], answers: { overall, comment: `意见${i + 1}` } }),
      });
      expect(res.status).toBe(201);
    }
    await page.goto('/evaluations');
    await page.getByText('作答时间：').waitFor();
    const stat = (title: string) =>
      page
        .locator('.ant-statistic')
        .filter({ has: page.getByText(title, { exact: true }) })
        .locator('.ant-statistic-content');
    await eventually(
      () => stat('发放口令').textContent(),
      (v) => v === '6',
    );
    expect(await stat('已作答').textContent()).toBe('3');
    expect(await stat('参评率').textContent()).toBe('50.0%');
    expect(
      await page
        .locator('.ant-statistic')
        .filter({ hasText: '总体满意率（总体评价）' })
        .locator('.ant-statistic-content')
        .textContent(),
    ).toBe('66.7%');
    const unitRow = page.getByRole('row', { name: /徐汇中学党支部/ });
    await unitRow.getByText('4.00').waitFor(); // mean of 5, 4, 3
    await page
      .getByRole('row', { name: /第二中学党支部/ })
      .getByText('0.0%')
      .waitFor();
    await page.getByRole('img', { name: '各单位参评率' }).locator('svg').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'evaluations');

    await page.getByRole('tab', { name: '按题目' }).click();
    await page.getByRole('img', { name: '「总体评价」各选项人数（已公开统计的单位合计）' }).locator('svg').waitFor();
    await page.getByText('意见建议（3 条）').waitFor();
    await screenshot(page, 'evaluations-questions');

    await page.getByRole('tab', { name: '未作答（3）' }).click();
    await page.getByText('张老师').waitFor();
    await page.getByRole('button', { name: /提醒全部未作答人员/ }).click();
    await page.getByRole('button', { name: button('确定') }).click();
    await page.getByText('已发送提醒：2 个单位，2 条消息').waitFor();
    await page.getByText('张老师 · 已提醒 1 次').waitFor();
    await screenshot(page, 'evaluations-pending');
    // through the notice channels: each unit's inbox gets the reminder
    const inbox = await eventually(
      () =>
        stack.db.query(
          `SELECT u.code, m.notice_kind AS kind FROM inbox_message m JOIN unit u ON u.id = m.unit_id WHERE m.notice_kind = 'evaluation_reminder' ORDER BY u.code`,
        ),
      (r) => r.length === 2,
    );
    expect(inbox).toEqual([
      { code: 'xh-s01', kind: 'evaluation_reminder' },
      { code: 'xh-s02', kind: 'evaluation_reminder' },
    ]);
    session.watch.assertClean();
  });

  it('dead letters filter by channel and reason and are retried after a confirmation; the audit log filters', async () => {
    const [notice] = await stack.db.query(
      `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at)
       VALUES ('browser-dl', $1, $2, 'study-record', 'due', 0, 0, 'unit', now(), now()) RETURNING id`,
      [cycleId, units['xh-s02']],
    );
    const dead = (id: string, channel: string, address: string, error: string, deadAt: string) =>
      stack.db.query(
        `INSERT INTO notice_delivery (id, dedupe_key, notice_id, channel, recipient_unit_id, recipient_name, address, recipient, locale, critical, message_id, status, attempts, last_error, dead_at)
         VALUES ($1, $2, $3, $4, $5, '赵书记', $6, '{}', 'zh-CN', true, $2, 'dead', 1, $7, $8)`,
        [id, `browser-dl|${id}`, notice.id, channel, units['xh-s02'], address, error, deadAt],
      );
    const mailId = crypto.randomUUID();
    await dead(mailId, 'inbox', `unit:${units['xh-s02']}`, 'inbox store unavailable', '2026-11-01T02:00:00Z');
    await dead(
      crypto.randomUUID(),
      'webhook',
      'http://127.0.0.1:9/h',
      'POST http://127.0.0.1:9/h answered HTTP 503',
      '2026-11-20T02:00:00Z',
    );
    await page.goto('/admin/dead-letters');
    const rows = page.locator('tbody tr.ant-table-row');
    await eventually(
      () => rows.count(),
      (n) => n === 2,
    );
    await page.getByLabel('失败原因包含').fill('503');
    await page.getByRole('button', { name: button('查询') }).click();
    await eventually(
      () => rows.count(),
      (n) => n === 1,
    );
    expect(await rows.first().textContent()).toContain('answered HTTP 503');
    await page.getByRole('button', { name: button('重置') }).click();
    await eventually(
      () => rows.count(),
      (n) => n === 2,
    );
    await page.getByLabel('渠道').click();
    await page.locator('.ant-select-item-option', { hasText: '站内消息' }).click();
    await page.keyboard.press('Escape'); // a multiple select stays open after a choice
    // its list leaves the page (and the accessibility check below) only when the closing animation ends
    await eventually(
      () => page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)').count(),
      (n) => n === 0,
    );
    await page.getByRole('button', { name: button('查询') }).click();
    await eventually(
      () => rows.count(),
      (n) => n === 1,
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'dead-letters');

    await rows
      .first()
      .getByRole('button', { name: /重新发送/ })
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText(`确认重新发送给 赵书记（unit:${units['xh-s02']}）？请先确认地址或机器人已修复。`).waitFor();
    await screenshot(page, 'dead-letters-retry');
    await dialog.getByRole('button', { name: /重新发送/ }).click();
    await page.getByText('已重新排入发送队列（站内消息）').waitFor();
    await eventually(
      () => rows.count(),
      (n) => n === 0,
    );
    await eventually(
      () => stack.db.query(`SELECT status FROM notice_delivery WHERE id = $1`, [mailId]),
      (r) => r[0].status === 'sent',
    );

    await page.goto('/admin/audit-log');
    await page.locator('tbody tr.ant-table-row').first().waitFor();
    await page.getByLabel('操作（前缀）').fill('submission.');
    await page.getByLabel('操作人（邮箱）').fill(stack.office.email.toUpperCase());
    await page.getByRole('button', { name: button('查询') }).click();
    const audit = page.locator('tbody tr.ant-table-row');
    await eventually(
      () => audit.allTextContents(),
      (texts) => texts.length === 2 && texts.every((t) => t.includes(stack.office.email)),
    );
    expect((await audit.allTextContents()).map((t) => /submission\.(accept|return)/.exec(t)?.[0])).toEqual([
      'submission.accept',
      'submission.return',
    ]);
    await audit.nth(1).locator('.ant-table-row-expand-icon').click();
    await page.getByText('"comment": "请补充学习时间和参加人数。"').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'audit-log');
    session.watch.assertClean();
  });
});

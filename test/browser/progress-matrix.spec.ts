/// <reference lib="dom" />
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { storeTemplate } from '../integration/cycles/cycles.fixture';
import { eventually } from '../support/eventually';
import { seriousA11yViolations } from './support/a11y';
import { screenshot } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { openConsole, signIn } from './support/console-page';
import { startCycleAsOffice, startConsoleStack, unitWorkflowsStarted, type ConsoleStack } from './support/stack';
import { SECOND } from '../support/time';

/** Seconds, not days: the dev server runs on the real clock, so the deadline passes while the test watches. */
const template = {
  key: 'bt-matrix',
  name: '短周期进度演练',
  referenceYear: 2026,
  timeZone: 'Asia/Shanghai',
  defaults: {
    review: 'office',
    reminders: ['PT20S'],
    escalation: [
      { after: 'PT0S', to: 'unit' },
      { after: 'PT10S', to: 'parent' },
    ],
  },
  stages: [
    {
      key: 'study',
      title: '学习调研',
      window: { opens: { after: 'PT0S' }, closes: { after: 'PT30M' } },
      steps: [
        {
          key: 'study-record',
          title: '学习交流记录',
          due: { after: 'PT40S' },
          deliverables: [{ key: 'record', kind: 'report', title: '学习记录' }],
        },
      ],
    },
    {
      key: 'analysis',
      title: '分析检查',
      window: { opens: { after: 'PT20M' }, closes: { after: 'PT40M' } },
      steps: [
        {
          key: 'analysis-report',
          title: '分析检查报告',
          due: { after: 'PT30M' },
          deliverables: [{ key: 'report', kind: 'report', title: '分析检查报告' }],
        },
      ],
    },
  ],
};

const units = [
  { code: 'bt-gb', name: '演练党总支', kind: 'general_branch', secretaryName: '李总支书记' },
  { code: 'bt-k01', name: '演练幼儿园党支部', kind: 'kindergarten', parentCode: 'bt-gb', secretaryName: '赵书记' },
  { code: 'bt-s01', name: '演练中学党支部', kind: 'school', parentCode: 'bt-gb', secretaryName: '张书记' },
  { code: 'bt-s02', name: '演练第二中学党支部', kind: 'school', parentCode: 'bt-gb', secretaryName: '王书记' },
];

/** 2026年12月1日 21:43:52 in Beijing, as the console prints an instant with seconds. */
const beijing = (ms: number) => {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}:${p.second}`;
};
const fromBeijing = (text: string) => {
  const [, y, mo, d, h, mi, s] = /(\d+)年(\d+)月(\d+)日 (\d+):(\d+):(\d+)/.exec(text)!.map(Number);
  return Date.UTC(y, mo - 1, d, h - 8, mi, s);
};
/**
 * Points at a unit's cell as a person would (the row's line, the step's column): the grid lays its one active-cell
 * link over the cell under the pointer, naming unit, step and status.
 */
async function pointAt(page: Page, unit: string, step: string) {
  await page.locator(`[data-row="${unit}"]`).waitFor();
  const row = (await page.locator(`[data-row="${unit}"]`).boundingBox())!;
  const column = (await page.locator(`[data-step-column="${step}"]`).boundingBox())!;
  await page.mouse.move(column.x + column.width / 2, row.y + row.height / 2);
  const active = page.locator(`a.matrix-active-cell[data-unit="${unit}"][data-step="${step}"]`);
  await active.waitFor();
  return active;
}
const statusOf = async (page: Page, unit: string, step: string) =>
  (await pointAt(page, unit, step)).getAttribute('data-status');
/** Points at the cell until it shows one of `statuses` (the matrix refetches every 5 s). */
const waitForStatus = (page: Page, unit: string, step: string, statuses: string[], timeoutMs = 20_000) =>
  eventually(
    () => statusOf(page, unit, step),
    (s) => statuses.includes(s ?? ''),
    Math.max(timeoutMs, 1000),
  );
/**
 * The colour painted at a cell: the row's strip draws its cells as one hard-stop gradient, so the stop that starts
 * at the step's column (plus the 3 px gap) is what the browser paints there, as it computed the style.
 */
async function colourOf(page: Page, unit: string, step: string) {
  const strip = page.locator(`.matrix-strip[data-row="${unit}"]`);
  const [s, c] = [(await strip.boundingBox())!, (await page.locator(`[data-step-column="${step}"]`).boundingBox())!];
  return strip.evaluate(
    (el, x) => {
      const stops = [...getComputedStyle(el).backgroundImage.matchAll(/(rgba?\([^)]*\)|transparent) (-?[\d.]+)px/g)];
      return (
        stops.find(
          (m) => Math.round(parseFloat(m[2])) === x && !/^(transparent|rgba\(0, 0, 0, 0\))$/.test(m[1]),
        )?.[1] ?? null
      );
    },
    Math.round(c.x - s.x) + 3,
  );
}
/** STEP_STATUS_COLORS of apps/console/src/shared/status.ts as computed colours. */
const COLOUR = {
  dueSoon: 'rgb(250, 173, 20)',
  pending: 'rgb(217, 217, 217)',
  submitted: 'rgb(19, 194, 194)',
  escalated: 'rgb(168, 7, 26)',
  waived: 'rgb(140, 140, 140)',
};

/** Pages 5 and 6 in Chromium on the real stack: the matrix changes colour live; the late unit's story reads in order. */
describe('console: progress matrix and unit page (Chromium, real api, worker, Temporal dev server, PostgreSQL)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let cycleId: string;
  let t0: number;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
    await storeTemplate(stack.db, 1, template);
    expect((await stack.api('/api/units/import', { method: 'POST', body: JSON.stringify({ units }) })).status).toBe(
      200,
    );
    t0 = Math.ceil(Date.now() / SECOND) * SECOND + 2 * SECOND;
    cycleId = await startCycleAsOffice(stack, {
      templateKey: 'bt-matrix',
      name: '进度演练',
      startsAt: new Date(t0).toISOString(),
      units: { codes: ['bt-k01', 'bt-s01', 'bt-s02'] },
    });
    await unitWorkflowsStarted(stack, cycleId, 3); // the submit below goes to bt-s01's workflow
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('colours cells as a unit submits and the deadline passes, reads the late unit’s notices in order, exports the progress', async () => {
    const { page, context, watch } = await openConsole(browser, stack);
    const matrixAnswers: number[] = [];
    page.on('response', (res) => /\/progress\/matrix\?/.test(res.url()) && matrixAnswers.push(res.status()));
    await signIn(page, stack.office, '/campaigns');
    await page.getByRole('link', { name: '进度演练' }).click();
    await page.waitForURL(new RegExp(`/cycles/${cycleId}/matrix$`));
    await page.getByRole('heading', { name: '进度矩阵 · 进度演练' }).waitFor();

    // Before the deadline (due in 40 s): every unit's first step waits and is due soon; the second has not opened.
    for (const u of ['bt-k01', 'bt-s01', 'bt-s02']) {
      await waitForStatus(page, u, 'study-record', ['dueSoon']);
      expect(await statusOf(page, u, 'analysis-report')).toBe('pending');
    }
    expect([await colourOf(page, 'bt-s01', 'study-record'), await colourOf(page, 'bt-s01', 'analysis-report')]).toEqual(
      [COLOUR.dueSoon, COLOUR.pending],
    );
    expect(await page.locator('[data-row]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row')))).toEqual(
      ['bt-k01', 'bt-s01', 'bt-s02'],
    );
    expect(await seriousA11yViolations(page)).toEqual([]);
    // The keyboard moves the active cell (focus stays on it) and names each cell it reaches.
    await (await pointAt(page, 'bt-k01', 'study-record')).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    expect(
      await page.evaluate(() => [
        document.activeElement?.getAttribute('data-unit'),
        document.activeElement?.getAttribute('data-step'),
        document.activeElement?.getAttribute('aria-label'),
      ]),
    ).toEqual(['bt-s01', 'analysis-report', '演练中学党支部 · 分析检查报告：未开始']);

    // A unit submits (through the api): its cell turns "submitted" on the next refresh, without a reload.
    expect(
      (await stack.api(`/api/cycles/${cycleId}/units/bt-s01/steps/study-record/submit`, { method: 'POST', body: '{}' }))
        .status,
    ).toBe(200);
    await waitForStatus(page, 'bt-s01', 'study-record', ['submitted'], 15_000);
    expect(await statusOf(page, 'bt-s02', 'study-record')).toBe('dueSoon');
    expect(await colourOf(page, 'bt-s01', 'study-record')).toBe(COLOUR.submitted);

    // The deadline passes (t0 + 40 s): overdue; the parent rung (t0 + 50 s): escalated.
    await waitForStatus(page, 'bt-s02', 'study-record', ['overdue', 'escalated'], t0 + 60 * SECOND - Date.now());
    expect(Date.now()).toBeGreaterThanOrEqual(t0 + 40 * SECOND);
    await waitForStatus(page, 'bt-s02', 'study-record', ['escalated'], t0 + 70 * SECOND - Date.now());
    await waitForStatus(page, 'bt-k01', 'study-record', ['escalated']);
    expect(await statusOf(page, 'bt-s01', 'study-record')).toBe('submitted');
    expect(await colourOf(page, 'bt-s02', 'study-record')).toBe(COLOUR.escalated);
    expect(await page.getByTestId('matrix-stat-stepStatus.escalated').textContent()).toContain('2');
    // The refetches asked with the held answer's ETag: between changes the api said 304 (nothing sent or re-rendered).
    expect([
      matrixAnswers[0],
      matrixAnswers.includes(304),
      matrixAnswers.every((st) => st === 200 || st === 304),
    ]).toEqual([200, true, true]);
    await screenshot(page, 'progress-matrix');

    // Filters: escalated units only, then a search by name.
    await page.getByLabel('状态').click();
    await page.getByLabel('状态').fill('已督办');
    await page.locator('.ant-select-item-option', { hasText: '已督办' }).waitFor();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await page.waitForFunction(
      () =>
        Array.from(document.querySelectorAll('[data-row]'))
          .map((r) => r.getAttribute('data-row'))
          .join() === 'bt-k01,bt-s02',
    );
    expect(page.url()).toContain('status=escalated');

    // The progress export, as the filters say, read back with exceljs.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /导出 Excel/ }).click(),
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await streamToBuffer(await download.createReadStream())) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('进度 Progress')!;
    const rows = sheet
      .getSheetValues()
      .slice(2)
      .map((r) => (r as ExcelJS.CellValue[]).slice(1));
    expect(rows).toEqual([
      [
        '单位编码 Code',
        '单位名称 Unit',
        '类型 Kind',
        '当前阶段 Stage',
        '学习调研：学习交流记录',
        '分析检查：分析检查报告',
      ],
      ['bt-k01', '演练幼儿园党支部', '幼儿园', '学习调研', '已督办', '未开始'],
      ['bt-s02', '演练第二中学党支部', '中小学', '学习调研', '已督办', '未开始'],
    ]);

    // A cell opens the unit page on that step, with "why" already answered.
    await (await pointAt(page, 'bt-s02', 'study-record')).click();
    await page.waitForURL(new RegExp(`/cycles/${cycleId}/units/bt-s02\\?step=study-record$`));
    await page.getByRole('heading', { name: '演练第二中学党支部（bt-s02）' }).waitFor();
    await page.getByTestId('unit-why').getByText(/逾期/).waitFor();
    expect(
      await page
        .getByTestId('unit-steps')
        .locator('[data-row-key="study-record"] [data-testid="step-status"]')
        .getAttribute('data-status'),
    ).toBe('escalated');

    // Timeline: the reminder, the due notice and the escalation, in this order, each at (or just after) its planned instant.
    const entries = page.getByTestId('timeline-entry');
    await page.locator('[data-testid="timeline-entry"][data-kind="escalated"]').waitFor();
    const story = await entries.evaluateAll((els) =>
      els.map((e) => ({
        kind: e.getAttribute('data-kind'),
        at: e.querySelector('[data-testid="timeline-at"]')!.textContent!,
        text: e.querySelector('[data-testid="timeline-text"]')!.textContent!,
      })),
    );
    const noticeLines = story.filter((e) => ['reminder_sent', 'due_notice_sent', 'escalated'].includes(e.kind!));
    expect(noticeLines.map((e) => e.kind)).toEqual(['reminder_sent', 'due_notice_sent', 'escalated']);
    [20, 40, 50].forEach((s, i) => {
      const late = fromBeijing(noticeLines[i].at) - (t0 + s * SECOND);
      expect([noticeLines[i].kind, late >= 0 && late <= 5 * SECOND]).toEqual([noticeLines[i].kind, true]);
    });
    expect(noticeLines[2].text).toContain('上级党组织');
    // Engine internals are folded away until asked for.
    expect(story.some((e) => /^Timer/.test(e.kind!))).toBe(false);
    await page.getByLabel('显示引擎细节（计时器、活动）').click();
    await page.locator('[data-testid="timeline-entry"][data-kind="TimerFired"]').first().waitFor();
    const link = await page.locator('[data-testid="timeline-entry"] a[target="_blank"]').first().getAttribute('href');
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:8233\/namespaces\/default\/workflows\/[^/]+\/[0-9a-f-]{36}\/history$/);
    await page.getByLabel('显示引擎细节（计时器、活动）').click();

    // Notices: planned instants exact, recipients by name on the inbox channel.
    await page.getByRole('tab', { name: '通知记录' }).click();
    const notices = page.getByTestId('unit-notices').locator('tbody tr.ant-table-row');
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid="unit-notices"] tbody tr.ant-table-row').length === 3,
    );
    const noticeRows = await notices.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent)),
    );
    expect(noticeRows.map((r) => [r[0], r[1], r[2]])).toEqual([
      [beijing(t0 + 20 * SECOND), '提醒', '学习交流记录'],
      [beijing(t0 + 40 * SECOND), '到期通知', '学习交流记录'],
      [beijing(t0 + 50 * SECOND), '督办 · 上级党组织', '学习交流记录'],
    ]);
    expect(noticeRows.map((r) => /王书记|李总支书记/.exec(r[3] ?? '')?.[0])).toEqual([
      '王书记',
      '王书记',
      '李总支书记',
    ]);
    expect(
      noticeRows.every((r) => /站内信/.test(r[3] ?? '') && /已发送/.test(r[3] ?? '') && /未读/.test(r[3] ?? '')),
    ).toBe(true);
    await page.getByRole('tab', { name: '时间线' }).click();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'unit-page');

    // Waive from the unit page, behind a confirmation that insists on a reason; the matrix shows it.
    await page.getByRole('button', { name: '免报：学习交流记录' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('免除“演练第二中学党支部”的“学习交流记录”？', { exact: false }).waitFor();
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await dialog.getByText('必填').waitFor();
    await dialog.getByLabel('原因').fill('该支部已撤并');
    await dialog.getByRole('button', { name: /确\s*定/ }).click();
    await page.locator('[data-row-key="study-record"] [data-testid="step-status"][data-status="waived"]').waitFor();
    await page.getByRole('link', { name: '进度演练' }).click();
    await waitForStatus(page, 'bt-s02', 'study-record', ['waived']);
    expect(await colourOf(page, 'bt-s02', 'study-record')).toBe(COLOUR.waived);

    watch.assertClean();
    await context.close();
  });
});

async function streamToBuffer(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

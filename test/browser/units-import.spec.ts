import ExcelJS from 'exceljs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { IMPORT_FIELDS } from '../../apps/api/src/units/import/unit-import.rows';
import { seriousA11yViolations } from './support/a11y';
import { screenshot } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { openConsole, signIn } from './support/console-page';
import { startConsoleStack, type ConsoleStack } from './support/stack';

async function writeXlsx(file: string, rows: string[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('单位');
  for (const r of rows) sheet.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

/** The Units page: import from an .xlsx the test writes (a bad file first: nothing imported), the tree, the template. */
describe('console: units import from Excel (Chromium, real api, PostgreSQL)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'units-xlsx-'));

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every bad row at its row and column and imports nothing, then imports a good file into the tree', async () => {
    const { page, context, watch } = await openConsole(browser, stack);
    await signIn(page, stack.office, '/units');
    await page.getByText('没有符合条件的单位').waitFor();

    const header = ['code', 'name', 'kind', 'parentCode', 'secretaryName', 'email'];
    const bad = await writeXlsx(join(dir, 'bad.xlsx'), [
      header,
      ['xh-edu', '徐汇区教育党工委', 'office', '', '张华', 'office@xh.example.cn'],
      ['xh-s01', '徐汇中学党支部', 'school', 'xh-edu', '李明', 'li-ming-at-example'],
      ['xh-s02', '第二中学党支部', 'castle', 'xh-edu', '王芳', 's02@xh.example.cn'],
    ]);
    watch.allow(400, /\/api\/units\/import$/);
    await page.locator('input[type=file]').setInputFiles(bad);
    await page.getByRole('alert').filter({ hasText: '文件有 2 处问题，未导入任何单位' }).waitFor();
    const problems = page.getByRole('table', { name: '文件有 2 处问题，未导入任何单位' });
    const rowTexts = await problems
      .locator('tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr: any) =>
          Array.from(tr.querySelectorAll('td') as ArrayLike<{ textContent: string }>).map((td) => td.textContent),
        ),
      );
    expect(rowTexts).toEqual([
      ['3', 'email', 'not an email address'],
      ['4', 'kind', expect.stringMatching(/^unknown kind "castle"/)],
    ]);
    expect(await stack.db.query('SELECT count(*)::int AS n FROM unit')).toEqual([{ n: 0 }]);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'units-import-problems');

    const good = await writeXlsx(join(dir, 'good.xlsx'), [
      header,
      ['xh-edu', '徐汇区教育党工委', 'office', '', '张华', 'office@xh.example.cn'],
      ['xh-s01', '徐汇中学党支部', 'school', 'xh-edu', '李明', 'li.ming@xh.example.cn'],
      ['xh-s02', '第二中学党支部', 'school', 'xh-edu', '王芳', 's02@xh.example.cn'],
    ]);
    await page.locator('input[type=file]').setInputFiles(good);
    await page.getByRole('alert').filter({ hasText: '导入完成：新建 3 个，更新 0 个' }).waitFor();
    expect(
      (await stack.db.query('SELECT code, email FROM unit ORDER BY code')).map((u) => `${u.code} ${u.email}`),
    ).toEqual(['xh-edu office@xh.example.cn', 'xh-s01 li.ming@xh.example.cn', 'xh-s02 s02@xh.example.cn']);
    const tree = page.getByRole('tree');
    await tree.getByText('第二中学党支部').waitFor();
    await page.getByText('共 3 个单位').waitFor();

    // Search narrows the tree to matches (and their ancestors).
    await page.getByLabel('搜索单位编码或名称').fill('s01');
    await tree.getByText('第二中学党支部').waitFor({ state: 'detached' });
    await tree.getByText('徐汇中学党支部').click();
    await page.getByRole('cell', { name: 'xh-s01', exact: true }).waitFor();
    await screenshot(page, 'units');

    // The Excel template downloads with the importer's columns.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /下载 Excel 模板/ }).click(),
    ]);
    const saved = join(dir, 'template.xlsx');
    await download.saveAs(saved);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(saved);
    expect((wb.worksheets[0].getRow(1).values as string[]).slice(1)).toEqual([...IMPORT_FIELDS]);

    expect(await seriousA11yViolations(page)).toEqual([]);
    watch.assertClean();
    expect(watch.seen(400, /\/api\/units\/import$/)).toBe(1);
    await context.close();
  });

  it('keeps a tree of 10,000 units virtual: a few dozen rows in the page, search finds the last one', async () => {
    const units = [
      { code: 'bulk-root', name: '批量党委', kind: 'office' },
      ...Array.from({ length: 10_000 }, (_, i) => ({
        code: `bulk-${String(i).padStart(5, '0')}`,
        name: `第${i}党支部`,
        kind: 'school',
        parentCode: 'bulk-root',
      })),
    ];
    expect((await stack.api('/api/units/import', { method: 'POST', body: JSON.stringify({ units }) })).status).toBe(
      200,
    );
    const { page, context, watch } = await openConsole(browser, stack);
    await signIn(page, stack.office, '/units');
    await page.getByText('共 10004 个单位').waitFor();
    await page.getByRole('tree').getByText('第0党支部').waitFor();
    // The root is open (10,000 children), yet only the rows in view exist in the DOM.
    expect(await page.locator('.ant-tree-treenode').count()).toBeLessThan(80);
    await page.getByLabel('搜索单位编码或名称').fill('bulk-09999');
    await page.getByRole('tree').getByText('第9999党支部').waitFor();
    await screenshot(page, 'units-10000');
    watch.assertClean();
    await context.close();
  });
});

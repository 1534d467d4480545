import type { Browser, Page } from 'playwright-core';
import { seriousA11yViolations } from './support/a11y';
import { screenshot } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { openConsole, signIn } from './support/console-page';
import { startConsoleStack, type ConsoleStack } from './support/stack';

const template = (kind: string) => `key: browser-drill
name: 浏览器演练
referenceYear: 2026
timeZone: Asia/Shanghai
defaults:
  review: office
  reminders: [P1D]
  escalation:
    - { after: PT0S, to: unit }
stages:
  - key: study
    title: 学习调研
    window: { opens: { after: PT0S }, closes: { after: P30D } }
    steps:
      - key: study-plan
        title: 学习计划
        due: { after: P10D }
        deliverables:
          - { key: plan, kind: ${kind}, title: 学习计划 }
`;

/** Replaces the editor's whole text as one edit (what a paste does). */
async function replaceEditorText(page: Page, text: string) {
  await page.getByRole('textbox', { name: '模板 YAML 编辑器' }).click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text);
}

/** Templates: the built-ins listed; a YAML problem shown at its line as the office types; fixed; saved as a version. */
describe('console: template editor (Chromium, real api, PostgreSQL)', () => {
  let stack: ConsoleStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('shows the validator’s problem at its line, then saves the fixed template as version 1', async () => {
    const { page, context, watch } = await openConsole(browser, stack);
    watch.allow(400, /\/api\/templates\/validate$/);
    await signIn(page, stack.office, '/templates');
    const builtins = await stack.db.query(`SELECT name FROM campaign_template WHERE source = 'builtin'`);
    expect(builtins.length).toBeGreaterThanOrEqual(3);
    for (const { name } of builtins) await page.getByRole('button', { name }).waitFor();

    // A built-in opens read as YAML, and checks clean.
    await page.getByRole('button', { name: builtins[0].name }).click();
    await page.getByText(/^检查通过：\d+ 个阶段，\d+ 个事项$/).waitFor();

    await page.getByRole('button', { name: /新建模板/ }).click();
    await page.getByText('检查通过：1 个阶段，1 个事项').waitFor();
    await replaceEditorText(page, template('essay'));
    const problems = page.getByTestId('template-problems');
    await problems.waitFor();
    // Line 19 is the deliverable with the unknown kind: the list says so, and the editor underlines that line.
    expect(await problems.locator('li').allInnerTexts()).toEqual([
      expect.stringMatching(/^第 19 行\s+stages\[0\]\.steps\[0\]\.deliverables\[0\]\.kind: must be one of: report, /),
    ]);
    const underlined = page.locator('.cm-line', { has: page.locator('.cm-lintRange-error') });
    expect(await underlined.allInnerTexts()).toEqual(['          - { key: plan, kind: essay, title: 学习计划 }']);
    expect(await page.getByRole('button', { name: '保存为新版本' }).isDisabled()).toBe(true);
    await screenshot(page, 'templates-problem');

    await replaceEditorText(page, template('report'));
    await page.getByText('检查通过：1 个阶段，1 个事项').waitFor();
    expect(await page.locator('.cm-lintRange-error').count()).toBe(0);
    await page.getByRole('button', { name: '保存为新版本' }).click();
    await page.getByText('已保存为 browser-drill 第 1 版').waitFor();
    const saved = await stack.db.query(
      `SELECT version, source, created_by AS "createdBy", document->'stages'->0->'steps'->0->'deliverables'->0->>'kind' AS kind FROM campaign_template WHERE key = 'browser-drill'`,
    );
    expect(saved).toEqual([{ version: 1, source: 'api', createdBy: stack.office.email, kind: 'report' }]);
    await page.getByRole('button', { name: '浏览器演练' }).waitFor();

    // The saved version's timeline.
    await page.getByRole('tab', { name: '时间安排预览' }).click();
    await page.getByTestId('plan-timeline').waitFor();
    await screenshot(page, 'templates-preview');
    expect(await seriousA11yViolations(page)).toEqual([]);
    watch.assertClean();
    expect(watch.seen(400, /\/api\/templates\/validate$/)).toBeGreaterThanOrEqual(1);
    await context.close();
  });
});

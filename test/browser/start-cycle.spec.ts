import type { Browser } from 'playwright-core';
import { seriousA11yViolations } from './support/a11y';
import { screenshot } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { openConsole, signIn } from './support/console-page';
import { seedCyclesTree, startConsoleStack, type ConsoleStack } from './support/stack';

/** The start-a-cycle wizard: timeline with holidays and 调休 marked, three units from the tree, a double click. */
describe('console: start a cycle (Chromium, real api, worker, Temporal dev server, PostgreSQL)', () => {
  let stack: ConsoleStack;
  let browser: Browser;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
    await seedCyclesTree(stack);
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('previews the timeline, chooses three units from the tree, and starts exactly one cycle on a double click', async () => {
    const { page, context, watch } = await openConsole(browser, stack);
    await signIn(page, stack.office, '/cycles/new');

    await page.getByLabel('模板').click();
    await page.locator('.ant-select-item-option', { hasText: '（it-two-stage）' }).click();
    await page.getByLabel('开始日期').fill('2026-09-28');
    await page.getByLabel('开始日期').press('Enter');
    await page.getByLabel('周期名称').fill('2026 秋季学习实践');

    // The timeline for a school: National Day shaded as a holiday, Saturday 10 October as a 调休 workday.
    const timeline = page.getByTestId('plan-timeline');
    await timeline.waitFor();
    await timeline.locator('[data-special-day="holiday"][data-date="2026-10-01"]').waitFor({ state: 'attached' });
    await timeline
      .locator('[data-special-day="makeup_workday"][data-date="2026-10-10"]')
      .waitFor({ state: 'attached' });
    const dates = page.getByRole('table', { name: '各事项时间表' });
    await dates
      .getByRole('row', { name: /学习交流记录/ })
      .getByText('2026年10月8日 00:00')
      .waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'start-cycle-timeline');

    await page.getByRole('button', { name: /下一步/ }).click();
    await page.getByLabel('按单位类型筛选').click();
    await page.locator('.ant-select-item-option', { hasText: /^中小学$/ }).click();
    await page.locator('.ant-select-item-option', { hasText: /^幼儿园$/ }).click();
    await page.keyboard.press('Escape');
    await page
      .locator('.ant-tree-treenode', { hasText: '小学幼教党总支' })
      .locator('.ant-tree-checkbox')
      .first()
      .click();
    await page.getByTestId('selected-count').filter({ hasText: '已选 3 个单位' }).waitFor();
    await screenshot(page, 'start-cycle-units');

    await page.getByRole('button', { name: /下一步/ }).click();
    await page.getByText('将为 3 个单位启动“2026 秋季学习实践”，启动后各单位立即收到任务。').waitFor();
    await screenshot(page, 'start-cycle-review');
    const posts: string[] = [];
    page.on(
      'request',
      (r) => r.method() === 'POST' && r.url().endsWith('/api/cycles') && posts.push(r.headers()['idempotency-key']),
    );
    await page.getByRole('button', { name: /启动周期/ }).dblclick();
    await page.waitForURL(/\/campaigns$/);
    await page.getByRole('row', { name: /2026 秋季学习实践/ }).waitFor();

    const cycles = await stack.db.query(
      `SELECT id, template_key AS "templateKey", template_version AS "templateVersion", unit_count AS "unitCount" FROM campaign_cycle`,
    );
    expect(cycles).toEqual([{ id: expect.any(String), templateKey: 'it-two-stage', templateVersion: 1, unitCount: 3 }]);
    const units = await stack.db.query(
      `SELECT u.code FROM cycle_unit cu JOIN unit u ON u.id = cu.unit_id WHERE cu.cycle_id = $1 ORDER BY u.code`,
      [cycles[0].id],
    );
    expect(units.map((u) => u.code)).toEqual(['xh-k01', 'xh-s01', 'xh-s02']);
    // However many requests the double click made, they carried one key.
    expect(new Set(posts).size).toBe(1);
    watch.assertClean();
    await context.close();
  });
});

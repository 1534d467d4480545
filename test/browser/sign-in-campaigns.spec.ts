import type { Browser } from 'playwright-core';
import { seriousA11yViolations } from './support/a11y';
import { screenshot } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { openConsole, signIn } from './support/console-page';
import { seedCyclesTree, startCycleAsOffice, startConsoleStack, type ConsoleStack } from './support/stack';

/** Sign-in (cookie session, nothing in localStorage) and the Campaigns page, in Chromium against the real stack. */
describe('console: sign-in and campaigns (Chromium, real api, worker, Temporal dev server, PostgreSQL)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let cycleId: string;

  beforeAll(async () => {
    [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
    await seedCyclesTree(stack);
    cycleId = await startCycleAsOffice(
      stack,
      {
        templateKey: 'it-two-stage',
        name: '2026 学习实践活动',
        startsAt: '2026-03-02',
        units: { subtreeOf: 'xh-gb1', kinds: ['school', 'kindergarten'] },
      },
      'browser-campaigns-1',
    );
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  });

  it('signs in with the cookie session, shows the cycles with their counts, and pauses one with a reason', async () => {
    const { page, context, watch } = await openConsole(browser, stack);
    await page.goto('/campaigns');
    await page.waitForURL(/\/sign-in\?next=%2Fcampaigns$/);
    await page.getByRole('heading', { name: '专项工作调度平台' }).waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');

    // A wrong password: the api's message, and no cookie.
    watch.allow(401, /\/api\/auth\/login$/);
    await page.getByLabel('电子邮箱').fill(stack.office.email);
    await page.getByLabel('密码').fill('not-the-password');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong e-mail or password' }).waitFor();
    expect(await context.cookies()).toEqual([]);

    await signIn(page, stack.office, '/sign-in?next=%2Fcampaigns');
    await page.waitForURL(/\/campaigns$/);
    const [cookie] = await context.cookies();
    expect([cookie.name, cookie.httpOnly, cookie.sameSite, cookie.path]).toEqual([
      'campaigns_session',
      true,
      'Strict',
      '/',
    ]);
    // The token lives only in the httpOnly cookie: not in storage, not readable by scripts.
    const readable = await page.evaluate(() => {
      const w = globalThis as any; // browser globals (the root tsconfig has no DOM lib)
      return JSON.stringify({ ...w.localStorage }) + JSON.stringify({ ...w.sessionStorage }) + w.document.cookie;
    });
    expect(readable).not.toContain(cookie.value.slice(0, 20));
    expect(await page.getByTestId('current-user').textContent()).toBe('王主任');

    const row = page.getByRole('row', { name: /2026 学习实践活动/ });
    await row.getByText('it-two-stage (v1)').waitFor();
    await row.getByText('进行中', { exact: true }).waitFor();
    expect(await row.getByRole('cell').nth(3).textContent()).toBe('2026年3月2日 00:00'); // 00:00 in the template's zone (Beijing)
    expect(await row.getByRole('cell').nth(4).textContent()).toBe('3'); // xh-gb1's two schools and its kindergarten
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'campaigns');

    // Pause: a confirmation that insists on a reason.
    await row
      .getByRole('button', { name: '暂 停' })
      .or(row.getByRole('button', { name: '暂停' }))
      .click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('暂停周期“2026 学习实践活动”？').waitFor();
    await dialog.getByRole('button', { name: /暂\s*停/ }).click();
    await dialog.getByText('请填写原因').waitFor();
    expect((await stack.db.query(`SELECT status FROM campaign_cycle WHERE id = $1`, [cycleId]))[0].status).toBe(
      'running',
    );
    await dialog.getByLabel('原因').fill('上级通知暂停');
    await screenshot(page, 'campaigns-pause-dialog');
    await dialog.getByRole('button', { name: /暂\s*停/ }).click();
    await row.getByText('已暂停', { exact: true }).waitFor();
    expect((await stack.db.query(`SELECT status FROM campaign_cycle WHERE id = $1`, [cycleId]))[0].status).toBe(
      'paused',
    );
    const [audit] = await stack.db.query(
      `SELECT actor_email AS "actorEmail" FROM audit_log WHERE action = 'cycle.pause'`,
    );
    expect(audit).toEqual({ actorEmail: stack.office.email });
    await row.getByRole('button', { name: /恢\s*复/ }).waitFor();

    // English, then back; the choice of language is all the console keeps in the browser.
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('heading', { name: 'Campaign cycles' }).waitFor();
    await row.getByText('Paused', { exact: true }).waitFor();
    await screenshot(page, 'campaigns-en');
    await page.getByText('中文', { exact: true }).click();
    await page.getByRole('heading', { name: '工作周期' }).waitFor();

    // Sign out: the cookie is gone and the console is back at sign-in.
    await page.getByRole('button', { name: /退出登录/ }).click();
    await page.waitForURL(/\/sign-in/);
    expect(await context.cookies()).toEqual([]);
    watch.assertClean();
    expect(watch.seen(401, /\/api\/auth\/login$/)).toBe(1);
    await context.close();
  });
});

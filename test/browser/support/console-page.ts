import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Account, ConsoleStack } from './stack';
import { watchPage } from './page-watch';

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  watch: ReturnType<typeof watchPage>;
}

/**
 * A fresh browser context (own cookies) on the console, watched for console errors and failed requests, with a
 * desk-sized viewport and the Chinese locale and Beijing time zone an office PC has.
 */
export async function openConsole(
  browser: Browser,
  stack: ConsoleStack,
  opts: { viewport?: { width: number; height: number } } = {},
): Promise<ConsolePage> {
  const context = await browser.newContext({
    baseURL: stack.baseUrl,
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const watch = watchPage(page);
  return { context, page, watch };
}

/** Signs in through the sign-in page, as a person would; waits for the signed-in layout. */
export async function signIn(page: Page, account: Account, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('电子邮箱').fill(account.email);
  await page.getByLabel('密码').fill(account.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

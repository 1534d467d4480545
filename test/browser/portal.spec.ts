import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { storeTemplate } from '../integration/cycles/cycles.fixture';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../integration/notifications/support/smtp-sink';
import { seriousA11yViolations } from './support/a11y';
import { screenshot } from './support/artifacts';
import { launchChromium } from './support/chromium';
import { openConsole, signIn, type ConsolePage } from './support/console-page';
import { watchPage } from './support/page-watch';
import {
  startCycleAsOffice,
  startConsoleStack,
  unitWorkflowsStarted,
  type Account,
  type ConsoleStack,
} from './support/stack';
import { eventually } from '../support/eventually';

const PUBLIC_BASE_URL = 'https://campaigns.example.cn';
const PHONE = { width: 375, height: 812 };
const SECRETARY_MAIL = 'secretary@xh-s01.example.cn';

/**
 * A step due in 10 days whose one reminder falls 15 seconds after the cycle starts (real clock on the Temporal dev
 * server), so the reminder e-mail arrives while the test waits; its deliverable is a meeting record.
 */
const portalTemplate = {
  key: 'portal-it',
  name: '学习实践活动（门户测试）',
  referenceYear: 2026,
  timeZone: 'Asia/Shanghai',
  defaults: { review: 'office', reminders: ['PT239H59M45S'], escalation: [{ after: 'P1D', to: 'unit' }] },
  stages: [
    {
      key: 'study',
      title: '学习调研',
      window: { opens: { after: 'PT0S' }, closes: { after: 'P30D' } },
      steps: [
        {
          key: 'committee-minutes',
          title: '召开支部委员会',
          due: { after: 'P10D' },
          deliverables: [{ key: 'minutes', kind: 'meeting_minutes', title: '支部委员会会议记录' }],
        },
      ],
    },
  ],
};

const units = [
  { code: 'xh-edu', name: '徐汇区教育党工委', kind: 'office' },
  { code: 'xh-gb1', name: '小学幼教党总支', kind: 'general_branch', parentCode: 'xh-edu' },
  {
    code: 'xh-s01',
    name: '徐汇中学党支部',
    kind: 'school',
    parentCode: 'xh-gb1',
    contacts: [{ name: '李书记', email: SECRETARY_MAIL }],
  },
  { code: 'xh-s02', name: '第二中学党支部', kind: 'school', parentCode: 'xh-gb1' },
];

/** The mail's text: base64 is decoded by the sink; quoted-printable (soft line breaks) here. */
function mailText(mail: ReceivedMail): string {
  if (!/quoted-printable/i.test(mail.headers['content-transfer-encoding'] ?? '')) return mail.text;
  const bytes = mail.text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** axe-core once transitions have ended (a fading toast or upload row would be measured half transparent). */
async function a11yProblems(page: Page): Promise<string[]> {
  await page.waitForFunction(
    'document.getAnimations().filter((a) => a.playState === "running" && a.effect.getComputedTiming().iterations !== Infinity).length === 0',
  );
  return seriousA11yViolations(page);
}

/** The page fits the phone: nothing wider than the viewport, so no horizontal scrolling. */
async function assertNoHorizontalScroll(page: Page) {
  const width = await page.evaluate<number>('document.scrollingElement.scrollWidth');
  expect(width).toBeLessThanOrEqual(PHONE.width);
}

/** Every control a finger uses on the phone is at least 32 px tall (antd's large/middle controls; links padded to 44). */
async function assertTouchSized(page: Page) {
  // A string: this file is compiled without the DOM library; the expression runs in the page.
  const small = await page.evaluate<
    { el: string; h: number }[]
  >(`[...document.querySelectorAll('main button, main a[href], main input:not([type=file]):not([type=radio]):not([type=checkbox]), main textarea, main .ant-radio-button-wrapper, main .ant-radio-wrapper, main .ant-select')]
      .filter((el) => el.offsetParent !== null && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ el: el.outerHTML.slice(0, 80), h: el.getBoundingClientRect().height }))
      .filter((x) => x.h > 0 && x.h < 32)`);
  expect(small).toEqual([]);
}

describe('units portal (Chromium, real api, worker, Temporal dev server, PostgreSQL, SMTP server)', () => {
  let stack: ConsoleStack;
  let browser: Browser;
  let smtp: SmtpSink;
  let cycleId: string;
  let unitIds: Record<string, string>;
  let submitterS01: Account, submitterS02: Account;
  const opened: ConsolePage[] = [];
  const open = async (viewport?: { width: number; height: number }) => {
    const c = await openConsole(browser, stack, viewport ? { viewport } : {});
    opened.push(c);
    return c;
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    [stack, browser] = await Promise.all([
      startConsoleStack({
        workerEnv: {
          SMTP_HOST: '127.0.0.1',
          SMTP_PORT: String(smtp.port),
          MAIL_FROM: '教工委办公室 <office@campaigns.local>',
          PUBLIC_BASE_URL,
        },
      }),
      launchChromium(),
    ]);
    await storeTemplate(stack.db, 1, portalTemplate);
    expect((await stack.api('/api/units/import', { method: 'POST', body: JSON.stringify({ units }) })).status).toBe(
      200,
    );
    unitIds = Object.fromEntries(
      (await stack.db.query(`SELECT code, id FROM unit`)).map((r: { code: string; id: string }) => [r.code, r.id]),
    );
    cycleId = await startCycleAsOffice(stack, {
      templateKey: 'portal-it',
      name: '2026 学习实践活动',
      startsAt: new Date().toISOString(),
      units: { codes: ['xh-s01', 'xh-s02'] },
    });
    submitterS01 = await stack.account(['unit_submitter'], { unitId: unitIds['xh-s01'], displayName: '张老师' });
    submitterS02 = await stack.account(['unit_submitter'], { unitId: unitIds['xh-s02'], displayName: '赵老师' });
    await eventually(
      () =>
        stack.db.query(`SELECT count(*)::int AS n FROM unit_step_status WHERE cycle_id = $1 AND status = 'open'`, [
          cycleId,
        ]),
      (r) => r[0].n === 2,
      30_000,
    );
    await unitWorkflowsStarted(stack, cycleId, 2);
  }, 120_000);

  afterAll(async () => {
    for (const c of opened) await c.context.close().catch(() => undefined);
    await browser?.close();
    await stack?.close();
    await smtp?.close();
  });

  const review = async (submissionId: string, version: number, body: object) => {
    const res = await stack.api(`/api/submissions/${submissionId}/versions/${version}/review`, {
      method: 'POST',
      headers: { 'Idempotency-Key': randomUUID() },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
  };
  const submissionOf = async (unitCode: string) =>
    (
      await stack.db.query(
        `SELECT id, status, current_version, draft FROM submission WHERE cycle_id = $1 AND unit_id = $2`,
        [cycleId, unitIds[unitCode]],
      )
    )[0];

  it('takes a submitter from the reminder e-mail to the task: meeting record with an attachment, returned, fixed, accepted, gone from my tasks', async () => {
    // The reminder e-mail, from the real SMTP server: its link is the exact task in the portal.
    const mail = await eventually(
      async () => smtp.messages.find((m) => m.to.includes(SECRETARY_MAIL)),
      (m) => m !== undefined,
      60_000,
    );
    const link = /https:\/\/campaigns\.example\.cn\/\S+/.exec(mailText(mail!))![0];
    expect(link).toBe(`${PUBLIC_BASE_URL}/my/tasks/${cycleId}/xh-s01/committee-minutes`);

    // Not signed in: the link goes through sign-in and back to the task.
    const { page, watch } = await open();
    const path = new URL(link).pathname;
    await page.goto(path);
    await page.waitForURL(/\/sign-in\?next=/);
    await signIn(page, submitterS01, page.url().replace(stack.baseUrl, ''));
    await page.waitForURL((url) => url.pathname === path);
    await page.getByRole('heading', { name: '召开支部委员会' }).waitFor();
    expect(await page.getByText('还有10天').count()).toBeGreaterThan(0);

    // The meeting record: date, attendees, absentees, minutes, and a PDF dropped on the deliverable.
    const card = page.getByTestId('deliverable-minutes');
    await card.getByLabel('会议日期').fill('2026-11-30');
    await card.getByLabel('会议日期').press('Enter');
    await card.getByLabel('出席人数').fill('7');
    await card.getByLabel('缺席人数').fill('1');
    await card.getByLabel('会议记录', { exact: true }).fill('# 支部委员会会议\n\n学习了活动方案，研究了调研安排。');
    await card.locator('input[type=file]').setInputFiles({
      name: '会议签到表.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\n% 签到表\n'),
    });
    await card.getByText('会议签到表.pdf').waitFor();
    await page.getByText('“会议签到表.pdf”已上传').waitFor();
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    const draft = await submissionOf('xh-s01');
    expect(draft.draft.deliverables).toEqual([
      {
        key: 'minutes',
        kind: 'meeting_minutes',
        text: '# 支部委员会会议\n\n学习了活动方案，研究了调研安排。',
        fields: { meetingDate: '2026-11-30', attendees: 7, absentees: 1 },
        attachmentIds: [expect.any(String)],
      },
    ]);
    expect(await a11yProblems(page)).toEqual([]);
    await screenshot(page, 'portal-task-filled');

    // A file of the wrong type never leaves the browser.
    await card
      .locator('input[type=file]')
      .setInputFiles({ name: 'virus.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') });
    await page.getByText('“virus.exe”的文件类型不支持').waitFor();

    // Submit, with a confirmation.
    await page.getByRole('button', { name: /(^|\s)提\s*交$/ }).click();
    await page.locator('.ant-modal-confirm-title', { hasText: '确认提交？' }).waitFor(); // antd 6 also keeps a hidden title
    await screenshot(page, 'portal-submit-confirm');
    await page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await page.getByText('已提交，正在等待办公室审核；审核前不能修改。').waitFor();
    const submitted = await submissionOf('xh-s01');
    expect([submitted.status, submitted.current_version]).toEqual(['submitted', 1]);

    // The office returns it with a comment (api); the submitter sees it in my tasks and beside the form.
    await review(submitted.id, 1, { decision: 'return', comment: '支部委员会会议记录缺少缺席人员姓名，请补充。' });
    await eventually(
      () =>
        stack.db.query(`SELECT status FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2`, [
          cycleId,
          unitIds['xh-s01'],
        ]),
      (r) => r[0]?.status === 'returned',
    );
    await page.goto('/my/tasks');
    const returned = page.getByTestId('bucket-returned');
    await returned.getByText('召开支部委员会').waitFor();
    await returned.getByText('审核意见：支部委员会会议记录缺少缺席人员姓名，请补充。').waitFor();
    await screenshot(page, 'portal-my-tasks-returned');
    await returned.getByTestId('task-link').click();
    await page.getByTestId('review-comment').getByText('支部委员会会议记录缺少缺席人员姓名，请补充。').waitFor();
    await card.getByText('审核意见涉及此项').waitFor();
    expect(await a11yProblems(page)).toEqual([]);
    await screenshot(page, 'portal-task-returned');

    await card
      .getByLabel('会议记录', { exact: true })
      .fill('# 支部委员会会议\n\n学习了活动方案，研究了调研安排。\n\n缺席：王某（出差）。');
    await page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    await page.getByRole('button', { name: '修改完毕，重新提交' }).click();
    await page.getByRole('dialog').getByRole('button', { name: '确认提交' }).click();
    await page.getByText('已提交，正在等待办公室审核；审核前不能修改。').waitFor();
    const resubmitted = await submissionOf('xh-s01');
    expect([resubmitted.status, resubmitted.current_version]).toEqual(['submitted', 2]);

    await review(resubmitted.id, 2, { decision: 'accept' });
    await eventually(
      () =>
        stack.db.query(`SELECT status FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2`, [
          cycleId,
          unitIds['xh-s01'],
        ]),
      (r) => r[0]?.status === 'accepted',
    );
    await page.goto('/my/tasks');
    await page.getByText('暂无待办事项').waitFor();
    expect(await page.getByText('召开支部委员会').count()).toBe(0);
    await screenshot(page, 'portal-my-tasks-done');

    // The history: both versions with their reviews.
    await page.goto('/my/history');
    await page.getByTestId('history-submission').getByText('召开支部委员会').click();
    await page.getByText('第1版 · 已退回').waitFor();
    await page.getByText('第2版 · 已通过').waitFor();
    await screenshot(page, 'portal-history');

    // The reminder is in the inbox too: the header counts it, reading it marks it read.
    await page.locator('[data-testid=inbox-bell][aria-label="未读通知 1 条"]').click();
    const message = page.getByTestId('inbox-message').first();
    expect(await message.getAttribute('data-read')).toBe('no');
    await message.click();
    await page.locator('[data-testid=inbox-message][data-read=yes]').waitFor();
    await page.locator('[data-testid=inbox-bell][aria-label="未读通知 0 条"]').waitFor();
    expect(await a11yProblems(page)).toEqual([]);
    await screenshot(page, 'portal-inbox');
    watch.assertClean();
  }, 240_000);

  it('refuses the later of two tabs saving the same draft, with a message, and loses nothing', async () => {
    // The draft exists (revision 1); both tabs read it.
    const created = await stack.api('/api/submissions', {
      method: 'POST',
      headers: { ...submitterS02.headers, 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({
        cycleId,
        unitId: unitIds['xh-s02'],
        stepKey: 'committee-minutes',
        deliverables: [{ key: 'minutes', kind: 'meeting_minutes', text: '初稿' }],
      }),
    });
    expect(created.status).toBe(201);
    const first = await open();
    await signIn(first.page, submitterS02, `/my/tasks/${cycleId}/xh-s02/committee-minutes`);
    const second = { page: await first.context.newPage() };
    const secondWatch = watchPage(second.page);
    await second.page.goto(`/my/tasks/${cycleId}/xh-s02/committee-minutes`);
    const minutes = (p: Page) => p.getByTestId('deliverable-minutes').getByLabel('会议记录', { exact: true });
    for (const p of [first.page, second.page])
      await eventually(
        () => minutes(p).inputValue(),
        (v) => v === '初稿',
      );

    await minutes(first.page).fill('第一个窗口写的会议记录');
    await first.page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    expect((await submissionOf('xh-s02')).draft.deliverables[0].text).toBe('第一个窗口写的会议记录');

    secondWatch.allow(409, /\/api\/submissions\/[^/]+\/draft$/);
    await minutes(second.page).fill('第二个窗口写的会议记录');
    const conflict = second.page.getByTestId('draft-conflict');
    await conflict.getByText('保存被拒绝：此草稿已在另一个窗口或由其他人保存过').waitFor();
    expect(await minutes(second.page).inputValue()).toBe('第二个窗口写的会议记录');
    expect((await submissionOf('xh-s02')).draft.deliverables[0].text).toBe('第一个窗口写的会议记录');
    expect(await second.page.locator('[data-testid=save-state]').getAttribute('data-state')).toBe('conflict');
    expect(await a11yProblems(second.page)).toEqual([]);
    await screenshot(second.page, 'portal-draft-conflict');

    // The user chooses to keep this tab's text: it is saved over the other (now knowingly).
    await conflict.getByRole('button', { name: '用本页内容覆盖' }).click();
    await second.page.locator('[data-testid=save-state][data-state=saved]').waitFor();
    expect((await submissionOf('xh-s02')).draft.deliverables[0].text).toBe('第二个窗口写的会议记录');
    expect(secondWatch.seen(409, /\/api\/submissions\/[^/]+\/draft$/)).toBe(1);
    first.watch.assertClean();
    secondWatch.assertClean();
  }, 120_000);

  it('answers an anonymous evaluation on a phone, once per token, and the aggregate counts it', async () => {
    const evaluation = await stack.api('/api/evaluations', {
      method: 'POST',
      headers: { 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({
        title: '2026年度群众满意度测评',
        kind: 'satisfaction',
        cycleId,
        opensAt: new Date(Date.now() - 60_000).toISOString(),
        closesAt: new Date(Date.now() + 86_400_000).toISOString(),
        questions: [
          { key: 'overall', text: '您对本支部工作的总体满意程度', type: 'scale', min: 1, max: 5, satisfiedAtLeast: 4 },
          {
            key: 'style',
            text: '党员作风',
            type: 'choice',
            options: [
              { value: 'good', label: '好', satisfied: true },
              { value: 'fair', label: '一般' },
              { value: 'poor', label: '差' },
            ],
          },
          { key: 'advice', text: '意见和建议', type: 'text', required: false },
        ],
      }),
    });
    expect(evaluation.status).toBe(201);
    const evaluationId = ((await evaluation.json()) as { id: string }).id;
    const batch = await stack.api(`/api/evaluations/${evaluationId}/tokens`, {
      method: 'POST',
      headers: { 'Idempotency-Key': randomUUID() },
      body: JSON.stringify({ unitId: unitIds['xh-s01'], count: 3 }),
    });
    const tokens = ((await batch.json()) as { tokens: { token: string }[] }).tokens.map((t) => t.token);

    const { page, watch } = await open(PHONE);
    await page.goto(`/evaluate#t=${tokens[0]}`);
    await page.getByRole('heading', { name: '2026年度群众满意度测评' }).waitFor();
    await assertNoHorizontalScroll(page);
    await assertTouchSized(page);
    expect(await a11yProblems(page)).toEqual([]);
    await screenshot(page, 'portal-evaluate-phone');
    await page.getByRole('button', { name: /提交答卷/ }).click();
    await page.getByText('请回答此题').first().waitFor();
    // antd draws its own radios over hidden inputs: a finger taps the visible label
    await page.locator('label.ant-radio-button-wrapper', { hasText: /^5$/ }).click();
    await page.locator('label.ant-radio-wrapper', { hasText: /^好$/ }).click();
    expect(await page.getByRole('radio', { name: '5' }).isChecked()).toBe(true);
    await page.getByLabel('3. 意见和建议').fill('希望多组织学习交流');
    await page.getByRole('button', { name: /提交答卷/ }).click();
    await page.getByText('提交成功，感谢您的参与！').waitFor();
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'portal-evaluate-thanks-phone');

    // The same link again: a clear page, no form.
    await page.goto('/');
    await page.goto(`/evaluate#t=${tokens[0]}`);
    await page.getByText('此链接已经使用过').waitFor();
    expect(await page.getByRole('button', { name: /提交答卷/ }).count()).toBe(0);
    await assertNoHorizontalScroll(page);
    await screenshot(page, 'portal-evaluate-used-phone');

    // Two more respondents (api); the aggregate includes the phone's answer.
    for (const [token, overall, style] of [
      [tokens[1], 4, 'good'],
      [tokens[2], 3, 'fair'],
    ] as const) {
      const res = await fetch(`${stack.baseUrl}/api/evaluations/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token, answers: { overall, style } }),
      });
      expect(res.status).toBe(201);
    }
    const results = (await (await stack.api(`/api/evaluations/${evaluationId}/results`)).json()) as {
      units: { unitId: string; issued: number; responded: number; questions: { key: string; mean?: number }[] }[];
    };
    expect(results.units).toHaveLength(1);
    expect(results.units[0]).toMatchObject({ unitId: unitIds['xh-s01'], issued: 3, responded: 3 });
    expect(results.units[0].questions.find((q) => q.key === 'overall')?.mean).toBe(4);
    watch.assertClean();
  }, 120_000);

  it("never shows a unit another unit's data on any portal page, and every page fits a 375 px phone", async () => {
    const pages = ['/my/tasks', '/my/inbox', '/my/rectification', '/my/history'];
    const seen: Record<string, string> = {};
    for (const [account, own, other, viewport] of [
      [submitterS01, 'xh-s01', 'xh-s02', undefined],
      [submitterS02, 'xh-s02', 'xh-s01', PHONE],
    ] as const) {
      const { page, watch } = await open(viewport);
      const bodies: string[] = [];
      page.on('response', async (res) => {
        if (res.url().includes('/api/') && res.status() < 400) bodies.push(await res.text().catch(() => ''));
      });
      await signIn(page, account, '/my/tasks');
      for (const path of pages) {
        await page.goto(path);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle');
        if (viewport) {
          await assertNoHorizontalScroll(page);
          await assertTouchSized(page);
        }
        expect(await a11yProblems(page)).toEqual([]);
        await screenshot(page, `portal-${own}${viewport ? '-phone' : ''}${path.replace(/\//g, '-')}`);
        seen[`${own}${path}`] = await page.evaluate<string>('document.body.innerText');
      }
      if (viewport) {
        // The side menu is a drawer on the phone, opened from the header.
        await page.getByRole('button', { name: '菜单' }).click();
        await page.getByRole('menuitem', { name: /通知/ }).click();
        await page.waitForURL(/\/my\/inbox$/);
        await page.getByRole('heading', { name: '通知', level: 1 }).waitFor();
      }
      await page.goto(`/my/tasks/${cycleId}/${own}/committee-minutes`);
      await page.getByRole('heading', { name: '召开支部委员会' }).waitFor();
      if (viewport) {
        await assertNoHorizontalScroll(page);
        await screenshot(page, `portal-${own}-phone-task`);
      }
      const otherName = units.find((u) => u.code === other)!.name;
      for (const path of pages) expect(seen[`${own}${path}`]).not.toContain(otherName);
      expect(bodies.join('\n')).not.toContain(unitIds[other]);
      expect(bodies.join('\n')).toContain(unitIds[own]);

      // Another unit's task by its URL: refused, and nothing of it shown.
      watch.allow(403, /\/api\/portal\/tasks\//);
      await page.goto(`/my/tasks/${cycleId}/${other}/committee-minutes`);
      await page.getByRole('alert').getByText('没有权限执行此操作', { exact: false }).waitFor();
      expect(await page.getByText(otherName).count()).toBe(0);
      watch.assertClean();
    }
    // Each saw its own draft's history, not the other's.
    expect(seen['xh-s02/my/history']).toContain('召开支部委员会');
    expect(seen['xh-s01/my/tasks']).toContain('暂无待办事项');
  }, 180_000);
});

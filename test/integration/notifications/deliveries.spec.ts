import { DateTime } from 'luxon';
import { createHmac } from 'node:crypto';
import { startNoticeHarness, type NoticeHarness } from './support/notice-harness';
import { DINGTALK_SECRET, DUE_AT, recordTestNotice, seedCampaign, type Seeded } from './support/seed';
import { DAY } from '../../support/time';
import { setTimeout as sleep } from 'node:timers/promises';

const at = (offsetDays: number) => new Date(Date.parse(DUE_AT) + offsetDays * DAY).toISOString();

/**
 * Notice delivery end to end: outbox rows planned like recordNotice does, woken by their NOTIFY, sent by the five
 * outbox dispatchers (real worker code) → a real SMTP server and a real HTTP receiver standing for WeCom / DingTalk
 * robots and a webhook. The road of runs recorded before the dispatcher (noticeDeliveryWorkflow → deliverNotice on
 * the channel task queues, time-skipping server) is checked beside it.
 */
describe('notice delivery: recipients, channels, languages, mute, exactly once', () => {
  let h: NoticeHarness;
  let s: Seeded;

  beforeAll(async () => {
    h = await startNoticeHarness('notices-delivery');
    s = await seedCampaign(h.db.dataSource, h.endpoints);
  });
  afterAll(() => h?.close());

  const rows = (noticeId: string) =>
    h.db.query(
      `SELECT id, channel, address, recipient_name, status, locale, critical, message_id, subject, body FROM notice_delivery WHERE notice_id = $1 ORDER BY channel, address`,
      [noticeId],
    );
  const link = () => `https://campaigns.example.cn/my/tasks/${s.cycleId}/xh-s01/study-research`;

  it('a reminder reaches every contact and channel of the unit, in their language, except the contact who muted reminders', async () => {
    const { noticeId, deliveries } = await recordTestNotice(h.db.dataSource, s, {
      kind: 'reminder',
      audience: 'unit',
      scheduledFor: at(-7),
    });
    const planned = await rows(noticeId);
    expect(planned.map((r) => [r.channel, r.address, r.status, r.locale, r.critical])).toEqual([
      ['dingtalk', h.endpoints.dingtalk, 'pending', 'zh-CN', false],
      ['email', 'anna@xh.example.cn', 'pending', 'en', false],
      ['email', 's01@xh.example.cn', 'pending', 'zh-CN', false],
      ['email', 'wang@xh.example.cn', 'muted', 'zh-CN', false],
      ['inbox', `unit:${s.unitId}`, 'pending', 'zh-CN', false],
      ['webhook', `${h.http.base}/hook`, 'pending', 'zh-CN', false],
      ['wecom', h.endpoints.wecom, 'pending', 'zh-CN', false],
    ]);
    expect(deliveries.map((d) => d.channel).sort()).toEqual([
      'dingtalk',
      'email',
      'email',
      'inbox',
      'webhook',
      'wecom',
    ]);

    const results = await h.deliver(deliveries);
    expect(results.map((r) => r.status)).toEqual(deliveries.map(() => 'sent'));

    // E-mail: exactly two messages, each with its delivery's Message-ID, subject and body in the contact's language.
    const sent = await rows(noticeId);
    const byAddress = Object.fromEntries(sent.map((r) => [r.address, r]));
    expect(h.smtp.messages.map((m) => m.to).sort()).toEqual([['anna@xh.example.cn'], ['s01@xh.example.cn']]);
    const zh = h.smtp.messages.find((m) => m.to[0] === 's01@xh.example.cn')!;
    const en = h.smtp.messages.find((m) => m.to[0] === 'anna@xh.example.cn')!;
    expect(zh.from).toBe('office@campaigns.local');
    expect(zh.messageId).toBe(byAddress['s01@xh.example.cn'].message_id);
    expect(en.messageId).toBe(byAddress['anna@xh.example.cn'].message_id);
    expect(zh.subject).toBe('【提醒】学习实践活动：第一中学党支部「开展学习调研」将于2009年4月30日 17:00截止');
    expect(en.subject).toBe('[Reminder] 学习实践活动: "开展学习调研" of 第一中学党支部 is due 30 Apr 2009 17:00');
    expect(zh.text.replace(/\r\n/g, '\n')).toBe(
      `李明，您好：\n\n学习实践活动 · 学习调研 · 开展学习调研\n截止时间：2009年4月30日 17:00（Asia/Shanghai），距截止还有 7 天。\n\n` +
        `尚需提交的材料：\n- 学习交流记录\n- 调研报告\n\n请登录查看并提交：${link()}\n`,
    );
    expect(en.text).toContain('Dear Anna Smith,');
    expect(en.text).toContain('Due: 30 Apr 2009 17:00 (Asia/Shanghai), 7 day(s) from now.');
    expect(en.text).toContain('- 学习交流记录\n- 调研报告\n');

    // WeCom group robot: the exact markdown body.
    const subject = byAddress['s01@xh.example.cn'].subject;
    const body = byAddress['s01@xh.example.cn'].body;
    const wecom = h.http.requests.filter((r) => r.path === '/wecom');
    expect(wecom).toHaveLength(1);
    expect(wecom[0].query).toEqual({ key: 'wecom-key-1' });
    expect(wecom[0].body).toEqual({ msgtype: 'markdown', markdown: { content: `**${subject}**\n\n${body}` } });

    // DingTalk custom robot, signed mode: timestamp (ms) + sign = base64(HMAC-SHA256(secret, "timestamp\nsecret")).
    const ding = h.http.requests.filter((r) => r.path === '/dingtalk');
    expect(ding).toHaveLength(1);
    const { access_token, timestamp, sign } = ding[0].query;
    expect(access_token).toBe('ding-token-1');
    expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(60_000);
    expect(sign).toBe(
      createHmac('sha256', DINGTALK_SECRET).update(`${timestamp}\n${DINGTALK_SECRET}`).digest('base64'),
    );
    expect(ding[0].body).toEqual({
      msgtype: 'markdown',
      markdown: { title: subject, text: `#### ${subject}\n\n${body}` },
    });

    // Generic webhook: the notice as JSON, with an Idempotency-Key equal to the Message-ID.
    const hook = h.http.requests.filter((r) => r.path === '/hook');
    expect(hook).toHaveLength(1);
    const hookRow = byAddress[`${h.http.base}/hook`];
    expect(hook[0].headers['idempotency-key']).toBe(hookRow.message_id);
    expect(hook[0].body).toEqual({
      type: 'campaign.notice',
      deliveryId: hookRow.id,
      messageId: hookRow.message_id,
      locale: 'zh-CN',
      subject,
      body,
      link: link(),
      notice: {
        kind: 'reminder',
        audience: 'unit',
        cycleId: s.cycleId,
        unitCode: 'xh-s01',
        stepKey: 'study-research',
        occurrence: 0,
        rung: 0,
        dueAt: DUE_AT,
        scheduledFor: at(-7),
      },
    });

    // Inbox: one message for the unit.
    expect(await h.db.query(`SELECT unit_id, notice_kind, subject, link FROM inbox_message`)).toEqual([
      { unit_id: s.unitId, notice_kind: 'reminder', subject, link: link() },
    ]);
    expect(sent.map((r) => r.status)).toEqual(['sent', 'sent', 'sent', 'muted', 'sent', 'sent', 'sent']);
  });

  it('never sends a delivery twice: recordNotice again plans the same rows, deliverNotice again answers already-sent', async () => {
    const again = await recordTestNotice(h.db.dataSource, s, {
      kind: 'reminder',
      audience: 'unit',
      scheduledFor: at(-7),
    });
    expect(again.deliveries).toEqual([]); // every row is sent (or muted): nothing left to deliver
    const ids = (await rows(again.noticeId))
      .filter((r) => r.status === 'sent')
      .map((r) => ({ deliveryId: r.id, channel: r.channel }));
    expect(ids).toHaveLength(6);
    expect((await h.deliverByWorkflow(ids, 'again')).map((r) => r.status)).toEqual(ids.map(() => 'already-sent'));
    expect((await h.deliver(ids)).map((r) => r.status)).toEqual(ids.map(() => 'sent'));
    expect(h.smtp.messages).toHaveLength(2);
    expect(h.http.requests).toHaveLength(3);
    expect(await h.db.query(`SELECT count(*)::int AS n FROM inbox_message`)).toEqual([{ n: 1 }]);
  });

  it('due notices are critical: the contact who muted reminders receives it', async () => {
    const before = h.smtp.messages.length;
    const { noticeId, deliveries } = await recordTestNotice(h.db.dataSource, s, {
      kind: 'due',
      audience: 'unit',
      scheduledFor: DUE_AT,
    });
    expect(
      (await rows(noticeId)).filter((r) => r.channel === 'email').map((r) => [r.address, r.status, r.critical]),
    ).toEqual([
      ['anna@xh.example.cn', 'pending', true],
      ['s01@xh.example.cn', 'pending', true],
      ['wang@xh.example.cn', 'pending', true],
    ]);
    await h.deliver(deliveries);
    const mails = h.smtp.messages.slice(before).sort((a, b) => a.to[0].localeCompare(b.to[0]));
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([
      ['anna@xh.example.cn', '[Due] 学习实践活动: "开展学习调研" of 第一中学党支部 was due 30 Apr 2009 17:00'],
      ['s01@xh.example.cn', '【到期】学习实践活动：第一中学党支部「开展学习调研」已于2009年4月30日 17:00截止'],
      ['wang@xh.example.cn', '【到期】学习实践活动：第一中学党支部「开展学习调研」已于2009年4月30日 17:00截止'],
    ]);
  });

  it('escalations are critical too: an escalation rung addressed to the unit reaches the contact who muted reminders', async () => {
    const before = h.smtp.messages.length;
    const { noticeId, deliveries } = await recordTestNotice(h.db.dataSource, s, {
      kind: 'escalation',
      audience: 'unit',
      rung: 3,
      scheduledFor: at(2),
    });
    const wang = (await rows(noticeId)).find((r) => r.address === 'wang@xh.example.cn')!;
    expect([wang.status, wang.critical]).toEqual(['pending', true]);
    await h.deliver(deliveries);
    expect(
      h.smtp.messages
        .slice(before)
        .map((m) => [m.to[0], m.subject])
        .sort(),
    ).toEqual([
      ['anna@xh.example.cn', '[Escalation] 学习实践活动: "开展学习调研" of 第一中学党支部 is 2 day(s) overdue'],
      ['s01@xh.example.cn', '【督办】学习实践活动：第一中学党支部「开展学习调研」逾期2天'],
      ['wang@xh.example.cn', '【督办】学习实践活动：第一中学党支部「开展学习调研」逾期2天'],
    ]);
  });

  it('escalates to the parent unit’s secretary (督办) and to the office contacts plus NOTICE_OFFICE_EMAILS (通报), bypassing mute', async () => {
    const before = h.smtp.messages.length;
    const parent = await recordTestNotice(h.db.dataSource, s, {
      kind: 'escalation',
      audience: 'parent',
      rung: 1,
      scheduledFor: at(7),
    });
    expect((await rows(parent.noticeId)).map((r) => [r.channel, r.address, r.recipient_name])).toEqual([
      ['email', 'zz1@xh.example.cn', '赵书记'],
      ['inbox', `unit:${s.parentId}`, '赵书记'],
    ]);
    const office = await recordTestNotice(
      h.db.dataSource,
      s,
      { kind: 'escalation', audience: 'office', rung: 2, scheduledFor: at(14) },
      ['leader@xh.example.cn'],
    );
    expect((await rows(office.noticeId)).map((r) => [r.channel, r.address, r.recipient_name])).toEqual([
      ['email', 'leader@xh.example.cn', '徐汇区教育党工委办公室'],
      ['email', 'office@xh.example.cn', '办公室王老师'],
      ['inbox', `unit:${s.officeId}`, '张华'],
    ]);
    await h.deliver([...parent.deliveries, ...office.deliveries]);
    const mails = h.smtp.messages.slice(before).sort((a, b) => a.to[0].localeCompare(b.to[0]));
    expect(mails.map((m) => [m.to[0], m.subject])).toEqual([
      ['leader@xh.example.cn', '【通报】学习实践活动：第一中学党支部「开展学习调研」逾期14天'],
      ['office@xh.example.cn', '【通报】学习实践活动：第一中学党支部「开展学习调研」逾期14天'],
      ['zz1@xh.example.cn', '【督办】学习实践活动：第一中学党支部「开展学习调研」逾期7天'],
    ]);
    expect(mails[2].text).toContain(
      '赵书记，您好：\n\n您所领导的第一中学党支部（xh-s01）的「开展学习调研」已逾期 7 天，请督促落实。',
    );
    const inbox = await h.db.query(
      `SELECT unit_id, notice_kind FROM inbox_message WHERE unit_id <> $1 ORDER BY unit_id = $2 DESC`,
      [s.unitId, s.parentId],
    );
    expect(inbox).toEqual([
      { unit_id: s.parentId, notice_kind: 'escalation' },
      { unit_id: s.officeId, notice_kind: 'escalation' },
    ]);
  });

  it('writes the due time in the unit’s own time zone', async () => {
    await h.db.query(`UPDATE unit SET time_zone = 'Asia/Urumqi' WHERE id = $1`, [s.unitId]);
    try {
      const before = h.smtp.messages.length;
      const { deliveries } = await recordTestNotice(h.db.dataSource, s, {
        kind: 'due',
        audience: 'unit',
        occurrence: 1,
        scheduledFor: DUE_AT,
      });
      await h.deliver(deliveries.filter((d) => d.channel === 'email'));
      const zh = h.smtp.messages.slice(before).find((m) => m.to[0] === 's01@xh.example.cn')!;
      expect(zh.subject).toBe('【到期】学习实践活动：第一中学党支部「开展学习调研」已于2009年4月30日 15:00截止');
      expect(zh.text).toContain('截止时间：2009年4月30日 15:00（Asia/Urumqi），现已到期。');
    } finally {
      await h.db.query(`UPDATE unit SET time_zone = NULL WHERE id = $1`, [s.unitId]);
    }
  });

  /** A Friday 23:30 (Shanghai) a week or more after `fromMs`, and the Monday 08:00 after it. */
  function quietWeekend(fromMs: number) {
    let t = DateTime.fromMillis(fromMs, { zone: 'Asia/Shanghai' }).plus({ days: 7 });
    while (t.weekday !== 5) t = t.plus({ days: 1 });
    const friday = t.set({ hour: 23, minute: 30, second: 0, millisecond: 0 }).toUTC().toISO()!;
    const monday = t.plus({ days: 3 }).set({ hour: 8, minute: 0, second: 0, millisecond: 0 }).toUTC().toISO()!;
    expect(DateTime.fromISO(monday, { zone: 'Asia/Shanghai' }).toFormat('ccc HH:mm')).toBe('Mon 08:00');
    return { friday, monday };
  }

  it('holds a notice due in quiet hours until the next working morning (Friday 23:30 → Monday 08:00 Shanghai)', async () => {
    await h.db.query(
      `UPDATE campaign_template SET document = '{"calendar":{"quietHours":{"start":"22:00","end":"08:00"}}}'`,
    );
    const { friday, monday } = quietWeekend(Date.now());
    const { noticeId, deliveries } = await recordTestNotice(h.db.dataSource, s, {
      kind: 'due',
      audience: 'unit',
      occurrence: 6,
      scheduledFor: friday,
      dueAt: friday,
    });
    const planned = await h.db.query(
      `SELECT channel, not_before, next_attempt_at FROM notice_delivery WHERE notice_id = $1 ORDER BY channel, address`,
      [noticeId],
    );
    const iso = (d: Date | null) => (d ? DateTime.fromJSDate(d).toUTC().toISO() : null);
    expect(planned.map((r) => [r.channel, iso(r.not_before)])).toEqual([
      ['dingtalk', monday],
      ['email', monday],
      ['email', monday],
      ['email', monday],
      ['inbox', null],
      ['webhook', monday],
      ['wecom', monday],
    ]);
    // the inbox message is silent and not held; every external delivery waits for Monday 08:00
    expect(planned.filter((r) => r.channel !== 'inbox').map((r) => iso(r.next_attempt_at))).toEqual(
      Array(6).fill(monday),
    );
    const email = deliveries.find((d) => d.channel === 'email')!;
    expect(await h.deliver(deliveries.filter((d) => d.channel === 'inbox'))).toEqual([{ status: 'sent' }]);

    const mailsBefore = h.smtp.messages.length;
    const outcomesBefore = h.outcomes.length;
    h.clock.set(Date.parse(monday) - 60_000); // Monday 07:59: still quiet
    h.wake();
    await sleep(500);
    expect(h.smtp.messages.length).toBe(mailsBefore);
    expect(h.outcomes.length).toBe(outcomesBefore);
    expect((await h.db.query(`SELECT status FROM notice_delivery WHERE id = $1`, [email.deliveryId]))[0].status).toBe(
      'pending',
    );

    h.clock.set(Date.parse(monday)); // 08:00: sendable
    const external = deliveries.filter((d) => d.channel !== 'inbox');
    expect((await h.deliver(external)).map((r) => r.status)).toEqual(external.map(() => 'sent'));
    const attempts = h.outcomes.slice(outcomesBefore);
    expect(attempts.map((o) => [o.outcome.kind, o.atMs])).toEqual(external.map(() => ['sent', Date.parse(monday)]));
    expect(
      h.smtp.messages
        .slice(mailsBefore)
        .map((m) => m.to[0])
        .sort(),
    ).toEqual(['anna@xh.example.cn', 's01@xh.example.cn', 'wang@xh.example.cn']);
  });

  it('the road of runs recorded before the dispatcher holds quiet hours too (deliverNotice waits with nextRetryDelay)', async () => {
    // The test server's clock has been skipped far ahead by now: a Friday 23:30 (Shanghai) a week or more after it,
    // and later than the dispatchers' clock, which never reaches that Monday here.
    const { friday, monday } = quietWeekend(Math.max(await h.env.currentTimeMs(), h.clock.now()) + 14 * DAY);
    const { deliveries } = await recordTestNotice(h.db.dataSource, s, {
      kind: 'due',
      audience: 'unit',
      occurrence: 7,
      scheduledFor: friday,
      dueAt: friday,
    });
    const email = deliveries.find((d) => d.channel === 'email')!;
    const start = await h.env.currentTimeMs();
    expect(start).toBeLessThan(Date.parse(monday));
    const mailsBefore = h.smtp.messages.length;
    const handle = await h.env.client.workflow.start('noticeDeliveryWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: `quiet-${email.deliveryId}`,
      args: [email],
    });
    expect(await handle.result()).toEqual({ status: 'sent' });
    // The attempt that sent ran (workflow time) at or after Monday 08:00, never before. How long after is up to the
    // server: the time-skipping test server applies the activity's nextRetryDelay one attempt late (the first retry
    // comes at once and is told to wait again), so only the lower bound is asserted here.
    const history = (await handle.fetchHistory()).events!;
    const started = history.filter((e) => e.activityTaskStartedEventAttributes);
    const sentAt = Number(started[started.length - 1].eventTime!.seconds) * 1000;
    expect(started[started.length - 1].activityTaskStartedEventAttributes!.attempt).toBeGreaterThanOrEqual(2);
    expect(sentAt).toBeGreaterThanOrEqual(Date.parse(monday));
    expect(h.smtp.messages.length - mailsBefore).toBe(1);
  });
});

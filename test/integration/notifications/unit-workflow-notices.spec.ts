import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { unitWorkflowId } from '../../../workflows/campaign/types';
import type { unitCampaignWorkflow } from '../../../workflows/campaign/unit-campaign.workflow';
import { nextWholeMinute, seedCycle, threeStagePlan, unitInput } from '../../support/campaign-factory';
import { startNoticeHarness, type NoticeHarness } from './support/notice-harness';
import { DAY, isoOf } from '../../support/time';
import { eventually } from '../../support/eventually';

/**
 * The whole path on the time-skipping server: the unit workflow decides reminders, the due notice and the escalation
 * rungs (parent, office); recordNotice plans the outbox rows and NOTIFYs; the outbox dispatchers send them (woken by LISTEN/NOTIFY alone: the harness polls once an hour).
 * Asserts what the SMTP server and the webhook receiver got: recipients, subjects, and the instants the notices
 * were due (workflow time, carried by each message's outbox row and by the webhook payload).
 */
describe('unit workflow → notices → SMTP server and webhook receiver (time-skipping server)', () => {
  let h: NoticeHarness;
  beforeAll(async () => {
    h = await startNoticeHarness('notices-flow');
  });
  afterAll(() => h?.close());

  it('delivers two reminders, the due notice, the parent escalation and the office escalation, once each, to the right people', async () => {
    const t0 = await nextWholeMinute(() => h.env.currentTimeMs());
    const plan = threeStagePlan(t0);
    const cycle = await seedCycle(h.db, { plan, unitCount: 1 });
    const unit = cycle.units[0];
    await h.db.query(`UPDATE unit SET contacts = $2 WHERE id = $1`, [
      unit.id,
      JSON.stringify([{ name: '李明', email: 'u1@school.example.cn', webhookUrl: `${h.http.base}/hook` }]),
    ]);
    await h.db.query(
      `UPDATE unit SET secretary_name = '赵书记', email = 'parent@zz.example.cn' WHERE id = (SELECT parent_id FROM unit WHERE id = $1)`,
      [unit.id],
    );
    await h.db.query(
      `INSERT INTO unit (id, code, name, kind, contacts) VALUES ($1, 'office-root', '教育党工委办公室', 'office', $2)`,
      [randomUUID(), JSON.stringify([{ name: '办公室王老师', email: 'office@edu.example.cn' }])],
    );

    await h.env.client.workflow.start<typeof unitCampaignWorkflow>('unitCampaignWorkflow', {
      workflowId: unitWorkflowId(cycle.cycleId, unit.id),
      taskQueue: h.taskQueue,
      args: [unitInput(cycle, unit, plan)],
    });
    const due = t0 + 20 * DAY;
    const now = await h.env.currentTimeMs();
    await h.env.sleep(due + 8 * DAY - now);

    const sent = await eventually(
      () => h.db.query(`SELECT count(*)::int AS n FROM notice_delivery WHERE status = 'sent'`),
      (r) => r[0].n >= 14, // 6 e-mails + 3 webhook posts + 5 inbox messages
      30_000,
    );
    expect(sent).toEqual([{ n: 14 }]);

    // Each e-mail (the office's include NOTICE_OFFICE_EMAILS=leader@…, set by the harness), joined to its outbox row and notice by Message-ID: recipient, subject, and the instant it was due.
    const mails = [];
    for (const m of h.smtp.messages) {
      const [row] = await h.db.query(
        `SELECT n.kind, n.audience, n.scheduled_for FROM notice_delivery d JOIN notice n ON n.id = d.notice_id WHERE d.message_id = $1`,
        [m.messageId],
      );
      mails.push({
        to: m.to[0],
        subject: m.subject,
        at: row.scheduled_for.toISOString(),
        kind: row.kind,
        audience: row.audience,
      });
    }
    mails.sort((a, b) => a.at.localeCompare(b.at) || a.to.localeCompare(b.to));
    const dueLocal = DateTime.fromMillis(due, { zone: 'Asia/Shanghai' }).toFormat('yyyy年M月d日 HH:mm');
    expect(mails).toEqual([
      {
        to: 'u1@school.example.cn',
        at: isoOf(due - 7 * DAY),
        kind: 'reminder',
        audience: 'unit',
        subject: `【提醒】学习实践活动（测试）：第1支部「开展学习调研」将于${dueLocal}截止`,
      },
      {
        to: 'u1@school.example.cn',
        at: isoOf(due - 1 * DAY),
        kind: 'reminder',
        audience: 'unit',
        subject: `【提醒】学习实践活动（测试）：第1支部「开展学习调研」将于${dueLocal}截止`,
      },
      {
        to: 'u1@school.example.cn',
        at: isoOf(due),
        kind: 'due',
        audience: 'unit',
        subject: `【到期】学习实践活动（测试）：第1支部「开展学习调研」已于${dueLocal}截止`,
      },
      {
        to: 'parent@zz.example.cn',
        at: isoOf(due + 3 * DAY),
        kind: 'escalation',
        audience: 'parent',
        subject: '【督办】学习实践活动（测试）：第1支部「开展学习调研」逾期3天',
      },
      {
        to: 'leader@xh.example.cn',
        at: isoOf(due + 7 * DAY),
        kind: 'escalation',
        audience: 'office',
        subject: '【通报】学习实践活动（测试）：第1支部「开展学习调研」逾期7天',
      },
      {
        to: 'office@edu.example.cn',
        at: isoOf(due + 7 * DAY),
        kind: 'escalation',
        audience: 'office',
        subject: '【通报】学习实践活动（测试）：第1支部「开展学习调研」逾期7天',
      },
    ]);
    expect(new Set(h.smtp.messages.map((m) => m.messageId)).size).toBe(6);

    // The unit's webhook got the unit-addressed notices only, each once, with the instant it was due.
    const hooks = h.http.requests
      .filter((r) => r.path === '/hook')
      .map((r) => [r.body.notice.kind, r.body.notice.scheduledFor]);
    expect(hooks.sort((a, b) => a[1].localeCompare(b[1]))).toEqual([
      ['reminder', isoOf(due - 7 * DAY)],
      ['reminder', isoOf(due - 1 * DAY)],
      ['due', isoOf(due)],
    ]);

    // Inboxes: the unit's three, the parent's escalation, the office's bulletin escalation.
    const inbox = await h.db.query(
      `SELECT u.code, m.notice_kind FROM inbox_message m JOIN unit u ON u.id = m.unit_id ORDER BY m.id`,
    );
    expect(
      inbox.map((r) => [r.code === unit.code ? 'unit' : r.code === 'office-root' ? 'office' : 'parent', r.notice_kind]),
    ).toEqual([
      ['unit', 'reminder'],
      ['unit', 'reminder'],
      ['unit', 'due'],
      ['parent', 'escalation'],
      ['office', 'escalation'],
    ]);
  });
});

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { planNoticeDeliveries } from '../../../../libs/notifications/src/planning/plan-deliveries';
import type { PlannedDelivery } from '../../../../activities/notices/notice-delivery.contract';
import type { CyclePlan } from '../../../../libs/domain/src/plan/unit-plan';
import type { UnitContact } from '../../../../libs/persistence/src/entities/unit.entity';
import { insertTemplate } from '../../../support/cycle-fixtures';

export const DINGTALK_SECRET = 'SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd';
/** 2009-04-30 17:00 in Shanghai. */
export const DUE_AT = '2009-04-30T09:00:00.000Z';

export interface Seeded {
  cycleId: string;
  officeId: string;
  parentId: string;
  unitId: string;
}

export function plan(overrides: Partial<CyclePlan> = {}): CyclePlan {
  return {
    templateKey: 'xuhui-2009',
    templateVersion: 1,
    campaignName: '学习实践活动',
    timeZone: 'Asia/Shanghai',
    cycleStartsAt: '2009-03-15T00:00:00.000Z',
    stages: [
      {
        key: 'study',
        title: '学习调研',
        opensAt: '2009-03-15T00:00:00.000Z',
        closesAt: DUE_AT,
        steps: [
          {
            key: 'study-research',
            stageKey: 'study',
            title: '开展学习调研',
            opensAt: '2009-03-15T00:00:00.000Z',
            dueAt: DUE_AT,
            required: true,
            reviewRequired: true,
            deliverables: [
              { key: 'study-record', kind: 'report', title: '学习交流记录', required: true },
              { key: 'research-report', kind: 'report', title: '调研报告', required: true },
              { key: 'opinions', kind: 'free_form', title: '听取意见情况', required: false },
            ],
            reminderOffsetsMs: [7 * 86_400_000],
            escalation: [],
          },
        ],
      },
    ],
    ...overrides,
  };
}

/**
 * Office (root, kind office) → 党总支 (parent) → 第一中学党支部 (the unit), one cycle with a plan for schools.
 * The unit's contacts reach every channel: the secretary (zh-CN, WeCom + DingTalk + webhook), an English-speaking
 * contact, and one who muted reminders.
 */
export async function seedCampaign(
  db: DataSource,
  endpoints: { wecom: string; dingtalk: string; webhook: string },
  opts: { quietHours?: { start: string; end: string }; unitTimeZone?: string } = {},
): Promise<Seeded> {
  const ids = { cycleId: randomUUID(), officeId: randomUUID(), parentId: randomUUID(), unitId: randomUUID() };
  // only the calendar's quiet hours: the notice tests need nothing else of the template
  const templateId = await insertTemplate(db, {
    key: 'xuhui-2009',
    name: '学习实践活动',
    document: { calendar: opts.quietHours ? { quietHours: opts.quietHours } : {} },
    source: 'builtin',
  });
  const contacts: UnitContact[] = [
    {
      name: '李明',
      role: 'secretary',
      email: 's01@xh.example.cn',
      wecomWebhook: endpoints.wecom,
      dingtalkWebhook: endpoints.dingtalk,
      dingtalkSecret: DINGTALK_SECRET,
      webhookUrl: endpoints.webhook,
    },
    { name: 'Anna Smith', email: 'Anna@xh.example.cn', locale: 'en' },
    { name: '王芳', email: 'wang@xh.example.cn', muteReminders: true },
  ];
  await db.query(
    `INSERT INTO unit (id, code, name, kind, parent_id, secretary_name, email, contacts) VALUES
       ($1, 'xh-edu', '徐汇区教育党工委办公室', 'office', NULL, '张华', NULL, $4),
       ($2, 'xh-zz1', '小学党总支', 'general_branch', $1, '赵书记', 'zz1@xh.example.cn', '[]'),
       ($3, 'xh-s01', '第一中学党支部', 'school', $2, '李明', 's01@xh.example.cn', $5)`,
    [
      ids.officeId,
      ids.parentId,
      ids.unitId,
      JSON.stringify([{ name: '办公室王老师', email: 'office@xh.example.cn' }]),
      JSON.stringify(contacts),
    ],
  );
  if (opts.unitTimeZone)
    await db.query(`UPDATE unit SET time_zone = $2 WHERE id = $1`, [ids.unitId, opts.unitTimeZone]);
  await db.query(
    `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
     VALUES ($1, '2009 学习实践活动', $2, 'xuhui-2009', 1, '2009-03-15T00:00:00Z', 'Asia/Shanghai', 'running', '{}', $3, $4, 1)`,
    [ids.cycleId, templateId, randomUUID(), `campaign-cycle/${ids.cycleId}`],
  );
  await db.query(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, 'school', $2)`, [
    ids.cycleId,
    JSON.stringify(plan()),
  ]);
  await db.query(
    `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status) VALUES ($1, $2, 1, 'school', $3, 'running')`,
    [ids.cycleId, ids.unitId, `campaign-cycle/${ids.cycleId}/unit/${ids.unitId}`],
  );
  return ids;
}

export interface NoticeSpec {
  kind: 'reminder' | 'due' | 'escalation';
  audience: 'unit' | 'parent' | 'office';
  rung?: number;
  occurrence?: number;
  scheduledFor: string;
  dueAt?: string;
}

/** What recordNotice does: insert the notice (dedupe key) and plan its deliveries, in one transaction. */
export async function recordTestNotice(
  db: DataSource,
  s: Seeded,
  n: NoticeSpec,
  officeEmails: string[] = [],
): Promise<{ noticeId: string; deliveries: PlannedDelivery[] }> {
  return db.transaction(async (tx) => {
    const dedupe = `${s.cycleId}|${s.unitId}|study-research|${n.kind}|${n.occurrence ?? 0}|r${n.rung ?? 0}|${n.audience}`;
    await tx.query(
      `INSERT INTO notice (dedupe_key, cycle_id, unit_id, step_key, kind, occurrence, rung, audience, scheduled_for, due_at)
       VALUES ($1, $2, $3, 'study-research', $4, $5, $6, $7, $8, $9) ON CONFLICT (dedupe_key) DO NOTHING`,
      [
        dedupe,
        s.cycleId,
        s.unitId,
        n.kind,
        n.occurrence ?? 0,
        n.rung ?? 0,
        n.audience,
        n.scheduledFor,
        n.dueAt ?? DUE_AT,
      ],
    );
    const [{ id }] = await tx.query(`SELECT id FROM notice WHERE dedupe_key = $1`, [dedupe]);
    return { noticeId: String(id), deliveries: await planNoticeDeliveries(tx, String(id), { officeEmails }) };
  });
}

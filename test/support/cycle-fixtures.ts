import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { CyclePlan, PlannedStep } from '../../libs/domain/src/plan/unit-plan';
import { unitWorkflowId } from '../../workflows/campaign/types';
import { DAY, isoOf } from './time';

/**
 * A small resolved plan for submission tests: stage 1 学习调研 with one step needing a report and meeting minutes
 * (plus an optional step without review);
 * stage 2 整改落实 with a rectification plan (items) and optional attendance hours. Windows are around `now`.
 */
export function submissionTestPlan(now = Date.now()): CyclePlan {
  const step = (key: string, stageKey: string, title: string, deliverables: PlannedStep['deliverables']): PlannedStep => ({
    key,
    stageKey,
    title,
    opensAt: isoOf(now - DAY),
    dueAt: isoOf(now + 30 * DAY),
    required: true,
    reviewRequired: true,
    deliverables,
    reminderOffsetsMs: [],
    escalation: [],
  });
  return {
    templateKey: 'submission-test',
    templateVersion: 1,
    campaignName: '学习实践活动 (test)',
    timeZone: 'Asia/Shanghai',
    cycleStartsAt: isoOf(now - DAY),
    stages: [
      {
        key: 'study',
        title: '学习调研',
        opensAt: isoOf(now - DAY),
        closesAt: isoOf(now + 30 * DAY),
        steps: [
          step('study-research', 'study', '开展学习调研', [
            { key: 'research-report', kind: 'report', title: '调研报告', required: true },
            { key: 'exchange-minutes', kind: 'meeting_minutes', title: '学习交流记录', required: true },
          ]),
          // optional, and no review: the first submission completes it
          { ...step('study-notes', 'study', '学习心得', [{ key: 'notes', kind: 'free_form', title: '学习心得', required: true }]), required: false, reviewRequired: false },
        ],
      },
      {
        key: 'rectify',
        title: '整改落实',
        opensAt: isoOf(now + 31 * DAY),
        closesAt: isoOf(now + 90 * DAY),
        steps: [
          {
            ...step('rectification-plan', 'rectify', '整改落实方案', [
              { key: 'plan', kind: 'plan_with_items', title: '整改落实方案', required: true },
              { key: 'hours', kind: 'attendance_hours', title: '集中活动时间', required: false, minHours: 48 },
            ]),
            opensAt: isoOf(now + 31 * DAY),
            dueAt: isoOf(now + 60 * DAY),
          },
        ],
      },
    ],
  };
}

/** Inserts template, cycle, plan (for `kind`) and cycle_unit rows for `unitIds`; returns the cycle id. */
export async function insertCycle(db: DataSource, unitIds: string[], plan: CyclePlan = submissionTestPlan(), kind = 'school'): Promise<string> {
  const templateId = randomUUID();
  const cycleId = randomUUID();
  await db.query(
    `INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES ($1, $2, 1, $3, '{}', $4, 'api')`,
    [templateId, `submission-test-${cycleId.slice(0, 8)}`, plan.campaignName, cycleId],
  );
  await db.query(
    `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
     VALUES ($1, $2, $3, $4, 1, $5, 'Asia/Shanghai', 'running', '{}', $8, $6, $7)`,
    [cycleId, plan.campaignName, templateId, plan.templateKey, plan.cycleStartsAt, `campaign-cycle/${cycleId}`, unitIds.length, `test-${cycleId}`],
  );
  await db.query(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, $2, $3::jsonb)`, [cycleId, kind, JSON.stringify(plan)]);
  for (const [i, unitId] of unitIds.entries()) {
    await db.query(`INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status) VALUES ($1, $2, $3, $4, $5, 'running')`, [
      cycleId,
      unitId,
      i + 1,
      kind,
      unitWorkflowId(cycleId, unitId),
    ]);
  }
  return cycleId;
}

/** A complete, valid content for step `study-research`. */
export const completeStudyDraft = () => ({
  deliverables: [
    { key: 'research-report', kind: 'report', text: '# 调研报告\n\n听取意见 12 条。' },
    { key: 'exchange-minutes', kind: 'meeting_minutes', text: '学习交流会纪要', fields: { meetingDate: '2026-03-20', attendees: 31 } },
  ],
});

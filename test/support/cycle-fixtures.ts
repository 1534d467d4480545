import { randomUUID } from 'node:crypto';
import type { CyclePlan, PlannedStep } from '../../libs/domain/src/plan/unit-plan';
import type { Client } from '@temporalio/client';
import { cycleWorkflowId, unitWorkflowId, type UnitWorkflowInput } from '../../workflows/campaign/types';
import { DAY, isoOf } from './time';

/**
 * A small resolved plan for submission tests: stage 1 学习调研 with one step needing a report and meeting minutes
 * (plus an optional step without review);
 * stage 2 整改落实 with a rectification plan (items) and optional attendance hours. Windows are around `now`.
 */
export function submissionTestPlan(now = Date.now()): CyclePlan {
  const step = (
    key: string,
    stageKey: string,
    title: string,
    deliverables: PlannedStep['deliverables'],
  ): PlannedStep => ({
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
          {
            ...step('study-notes', 'study', '学习心得', [
              { key: 'notes', kind: 'free_form', title: '学习心得', required: true },
            ]),
            required: false,
            reviewRequired: false,
          },
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

/** A DataSource or a TestDatabase: whatever runs a statement with parameters. */
type Queryable = { query(sql: string, params?: unknown[]): Promise<unknown> };

/** Inserts a campaign_template row; returns its id. */
export async function insertTemplate(
  db: Queryable,
  t: { key: string; name: string; version?: number; document?: object; checksum?: string; source?: 'api' | 'builtin' },
): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [
      id,
      t.key,
      t.version ?? 1,
      t.name,
      JSON.stringify(t.document ?? {}),
      t.checksum ?? `checksum-${id}`,
      t.source ?? 'api',
    ],
  );
  return id;
}

export interface CycleRows {
  templateId: string;
  plan: CyclePlan;
  /** The units in ordinal order, each with its kind (the plan is stored for every kind among them). */
  units: { id: string; kind: string; ordinal: number }[];
  /** campaign_cycle.status, and cycle_unit.status (unset: the column's default, pending). */
  status: 'starting' | 'running';
  unitStatus?: 'running';
  selection?: object;
}

/** Inserts the campaign_cycle, its cycle_plan rows and a cycle_unit row per unit; returns the cycle id. */
export async function insertCycleRows(db: Queryable, c: CycleRows): Promise<string> {
  const cycleId = randomUUID();
  await db.query(
    `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
     VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $9, $10, $11)`,
    [
      cycleId,
      c.plan.campaignName,
      c.templateId,
      c.plan.templateKey,
      c.plan.cycleStartsAt,
      c.plan.timeZone,
      c.status,
      JSON.stringify(c.selection ?? {}),
      `test-${cycleId}`,
      cycleWorkflowId(cycleId),
      c.units.length,
    ],
  );
  for (const kind of new Set(c.units.map((u) => u.kind))) {
    await db.query(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, $2, $3::jsonb)`, [
      cycleId,
      kind,
      JSON.stringify(c.plan),
    ]);
  }
  for (const u of c.units) {
    await db.query(
      `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status) VALUES ($1, $2, $3, $4, $5, COALESCE($6, 'pending'))`,
      [cycleId, u.id, u.ordinal, u.kind, unitWorkflowId(cycleId, u.id), c.unitStatus ?? null],
    );
  }
  return cycleId;
}

/** Inserts template, cycle, plan (for `kind`) and cycle_unit rows for `unitIds`, all running; returns the cycle id. */
export async function insertCycle(
  db: Queryable,
  unitIds: string[],
  plan: CyclePlan = submissionTestPlan(),
  kind = 'school',
): Promise<string> {
  const templateId = await insertTemplate(db, {
    key: `submission-test-${randomUUID().slice(0, 8)}`,
    name: plan.campaignName,
  });
  const units = unitIds.map((id, i) => ({ id, kind, ordinal: i + 1 }));
  return insertCycleRows(db, { templateId, plan, units, status: 'running', unitStatus: 'running' });
}

/** A school unit's workflow input (Asia/Shanghai's offset; named `Unit <code>` unless `name` says otherwise). */
export function schoolUnitInput(
  cycleId: string,
  unit: { id: string; code: string; name?: string },
  plan: CyclePlan,
  extra: Partial<UnitWorkflowInput> = {},
): UnitWorkflowInput {
  return {
    cycleId,
    unitId: unit.id,
    unitCode: unit.code,
    unitName: unit.name ?? `Unit ${unit.code}`,
    unitKind: 'school',
    plan,
    utcOffsetMinutes: 480,
    ...extra,
  };
}

/** Starts a unit's workflow under its derived id on `taskQueue`, as the cycle workflow would. */
export function startUnitWorkflow(
  client: Pick<Client, 'workflow'>,
  taskQueue: string,
  input: UnitWorkflowInput,
): ReturnType<Client['workflow']['start']> {
  return client.workflow.start('unitCampaignWorkflow', {
    taskQueue,
    workflowId: unitWorkflowId(input.cycleId, input.unitId),
    args: [input],
  });
}

/** A complete, valid content for step `study-research`. */
export const completeStudyDraft = () => ({
  deliverables: [
    { key: 'research-report', kind: 'report', text: '# 调研报告\n\n听取意见 12 条。' },
    {
      key: 'exchange-minutes',
      kind: 'meeting_minutes',
      text: '学习交流会纪要',
      fields: { meetingDate: '2026-03-20', attendees: 31 },
    },
  ],
});

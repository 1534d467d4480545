import { randomUUID } from 'node:crypto';
import type { CyclePlan, EscalationRung, PlannedStep } from '../../libs/domain/src/plan/unit-plan';
import { cycleWorkflowId, unitWorkflowId, type UnitWorkflowInput } from '../../workflows/campaign/types';
import type { TestDatabase } from './database';
import { DAY, isoOf } from './time';

/** The 2009 ladder: at due → the unit, +3 days → the parent organisation, +7 days → the office and the bulletin. */
export const standardLadder: EscalationRung[] = [
  { afterMs: 0, to: 'unit', bulletin: false },
  { afterMs: 3 * DAY, to: 'parent', bulletin: false },
  { afterMs: 7 * DAY, to: 'office', bulletin: true },
];

function step(t0: number, p: { key: string; stageKey: string; title: string; opens: number; due: number; required?: boolean; reminders?: number[] }): PlannedStep {
  return {
    key: p.key,
    stageKey: p.stageKey,
    title: p.title,
    opensAt: isoOf(t0 + p.opens),
    dueAt: isoOf(t0 + p.due),
    required: p.required ?? true,
    reviewRequired: true,
    deliverables: [{ key: `${p.key}-doc`, kind: 'report', title: p.title, required: true }],
    reminderOffsetsMs: p.reminders ?? [7 * DAY, 1 * DAY],
    escalation: standardLadder,
  };
}

/**
 * A small three-stage plan written by hand (independent of the template code), all times relative to t0:
 * s1 学习调研: s1-study opens t0, due t0+20d (reminders 7d, 1d) · s2 分析检查: s2-report opens t0+10d, due t0+60d
 * (reminder 7d) · s3 整改落实: s3-plan opens t0+30d, due t0+90d (reminder 7d), optional s3-survey opens t0+30d, due t0+80d.
 */
export function threeStagePlan(t0: number): CyclePlan {
  return {
    templateKey: 'test-three-stage',
    templateVersion: 1,
    campaignName: '学习实践活动（测试）',
    timeZone: 'Asia/Shanghai',
    cycleStartsAt: isoOf(t0),
    stages: [
      { key: 's1', title: '学习调研', opensAt: isoOf(t0), closesAt: isoOf(t0 + 20 * DAY), steps: [step(t0, { key: 's1-study', stageKey: 's1', title: '开展学习调研', opens: 0, due: 20 * DAY })] },
      { key: 's2', title: '分析检查', opensAt: isoOf(t0 + 10 * DAY), closesAt: isoOf(t0 + 60 * DAY), steps: [step(t0, { key: 's2-report', stageKey: 's2', title: '分析检查报告', opens: 10 * DAY, due: 60 * DAY, reminders: [7 * DAY] })] },
      {
        key: 's3',
        title: '整改落实',
        opensAt: isoOf(t0 + 30 * DAY),
        closesAt: isoOf(t0 + 90 * DAY),
        steps: [
          step(t0, { key: 's3-plan', stageKey: 's3', title: '整改落实方案', opens: 30 * DAY, due: 90 * DAY, reminders: [7 * DAY] }),
          step(t0, { key: 's3-survey', stageKey: 's3', title: '满意度测评', opens: 30 * DAY, due: 80 * DAY, required: false, reminders: [] }),
        ],
      },
    ],
  };
}

export interface SeededUnit {
  id: string;
  code: string;
  name: string;
  kind: string;
  ordinal: number;
}

export interface SeededCycle {
  cycleId: string;
  units: SeededUnit[];
  workflowId: string;
}

/** Inserts template, units (children of one 党总支 parent), cycle, the plan for every kind, and cycle_unit rows. */
export async function seedCycle(db: TestDatabase, opts: { plan: CyclePlan; unitCount: number; kind?: string; firstOrdinal?: number }): Promise<SeededCycle> {
  const kind = opts.kind ?? 'school';
  const templateId = randomUUID();
  const cycleId = randomUUID();
  const parentId = randomUUID();
  const tag = cycleId.slice(0, 8);
  await db.query(
    `INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES ($1, $2, 1, $3, '{}', $4, 'builtin')`,
    [templateId, `${opts.plan.templateKey}-${tag}`, opts.plan.campaignName, `sum-${tag}`],
  );
  await db.query(`INSERT INTO unit (id, code, name, kind) VALUES ($1, $2, $3, 'agency')`, [parentId, `P-${tag}`, '徐汇区教育系统党总支']);
  const units: SeededUnit[] = [];
  for (let i = 0; i < opts.unitCount; i++) {
    const u = { id: randomUUID(), code: `U${String(i + 1).padStart(3, '0')}-${tag}`, name: `第${i + 1}支部`, kind, ordinal: (opts.firstOrdinal ?? 0) + i };
    await db.query(`INSERT INTO unit (id, code, name, kind, parent_id) VALUES ($1, $2, $3, $4, $5)`, [u.id, u.code, u.name, u.kind, parentId]);
    units.push(u);
  }
  await db.query(
    `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
     VALUES ($1, $2, $3, $4, 1, $5, $6, 'starting', '{"all": true}', $7, $8, $9)`,
    [cycleId, opts.plan.campaignName, templateId, opts.plan.templateKey, opts.plan.cycleStartsAt, opts.plan.timeZone, `req-${tag}`, cycleWorkflowId(cycleId), units.length],
  );
  await db.query(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, $2, $3)`, [cycleId, kind, JSON.stringify(opts.plan)]);
  for (const u of units) {
    await db.query(`INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id) VALUES ($1, $2, $3, $4, $5)`, [
      cycleId, u.id, u.ordinal, u.kind, unitWorkflowId(cycleId, u.id),
    ]);
  }
  return { cycleId, units, workflowId: cycleWorkflowId(cycleId) };
}

/** The input the cycle's batch activity would build for a unit (Asia/Shanghai is UTC+8 all year). */
export function unitInput(cycle: SeededCycle, unit: SeededUnit, plan: CyclePlan, extra: Partial<UnitWorkflowInput> = {}): UnitWorkflowInput {
  return { cycleId: cycle.cycleId, unitId: unit.id, unitCode: unit.code, unitName: unit.name, unitKind: unit.kind, plan, utcOffsetMinutes: 480, ...extra };
}

/** A start instant on a whole minute, a little ahead of the test server's clock, so every planned time is exact. */
export async function nextWholeMinute(currentTimeMs: () => Promise<number>, leadMs = 60_000): Promise<number> {
  const now = await currentTimeMs();
  return Math.ceil((now + leadMs) / 60_000) * 60_000;
}

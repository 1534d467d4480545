import { randomUUID } from 'node:crypto';
import type { CyclePlan, EscalationRung, PlannedStep } from '../../libs/domain/src/plan/unit-plan';
import { cycleWorkflowId, type UnitWorkflowInput } from '../../workflows/campaign/types';
import { insertUnit } from './auth';
import { insertCycleRows, insertTemplate } from './cycle-fixtures';
import type { TestDatabase } from './database';
import { DAY, isoOf } from './time';

/** The 2009 ladder: at due → the unit, +3 days → the parent organisation, +7 days → the office and the bulletin. */
export const standardLadder: EscalationRung[] = [
  { afterMs: 0, to: 'unit', bulletin: false },
  { afterMs: 3 * DAY, to: 'parent', bulletin: false },
  { afterMs: 7 * DAY, to: 'office', bulletin: true },
];

function step(
  t0: number,
  p: {
    key: string;
    stageKey: string;
    title: string;
    opens: number;
    due: number;
    required?: boolean;
    reminders?: number[];
  },
): PlannedStep {
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
      {
        key: 's1',
        title: '学习调研',
        opensAt: isoOf(t0),
        closesAt: isoOf(t0 + 20 * DAY),
        steps: [step(t0, { key: 's1-study', stageKey: 's1', title: '开展学习调研', opens: 0, due: 20 * DAY })],
      },
      {
        key: 's2',
        title: '分析检查',
        opensAt: isoOf(t0 + 10 * DAY),
        closesAt: isoOf(t0 + 60 * DAY),
        steps: [
          step(t0, {
            key: 's2-report',
            stageKey: 's2',
            title: '分析检查报告',
            opens: 10 * DAY,
            due: 60 * DAY,
            reminders: [7 * DAY],
          }),
        ],
      },
      {
        key: 's3',
        title: '整改落实',
        opensAt: isoOf(t0 + 30 * DAY),
        closesAt: isoOf(t0 + 90 * DAY),
        steps: [
          step(t0, {
            key: 's3-plan',
            stageKey: 's3',
            title: '整改落实方案',
            opens: 30 * DAY,
            due: 90 * DAY,
            reminders: [7 * DAY],
          }),
          step(t0, {
            key: 's3-survey',
            stageKey: 's3',
            title: '满意度测评',
            opens: 30 * DAY,
            due: 80 * DAY,
            required: false,
            reminders: [],
          }),
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
export async function seedCycle(
  db: TestDatabase,
  opts: { plan: CyclePlan; unitCount: number; kind?: string; firstOrdinal?: number },
): Promise<SeededCycle> {
  const kind = opts.kind ?? 'school';
  const tag = randomUUID().slice(0, 8);
  const templateId = await insertTemplate(db, {
    key: `${opts.plan.templateKey}-${tag}`,
    name: opts.plan.campaignName,
    source: 'builtin',
  });
  const parentId = await insertUnit(db.dataSource, `P-${tag}`, { kind: 'agency', name: '徐汇区教育系统党总支' });
  const units: SeededUnit[] = [];
  for (let i = 0; i < opts.unitCount; i++) {
    const u = {
      code: `U${String(i + 1).padStart(3, '0')}-${tag}`,
      name: `第${i + 1}支部`,
      kind,
      ordinal: (opts.firstOrdinal ?? 0) + i,
    };
    units.push({ id: await insertUnit(db.dataSource, u.code, { kind, name: u.name, parentId }), ...u });
  }
  const cycleId = await insertCycleRows(db, {
    templateId,
    plan: opts.plan,
    units,
    status: 'starting',
    selection: { all: true },
  });
  return { cycleId, units, workflowId: cycleWorkflowId(cycleId) };
}

/** The input the cycle's batch activity would build for a unit (Asia/Shanghai is UTC+8 all year). */
export function unitInput(
  cycle: SeededCycle,
  unit: SeededUnit,
  plan: CyclePlan,
  extra: Partial<UnitWorkflowInput> = {},
): UnitWorkflowInput {
  return {
    cycleId: cycle.cycleId,
    unitId: unit.id,
    unitCode: unit.code,
    unitName: unit.name,
    unitKind: unit.kind,
    plan,
    utcOffsetMinutes: 480,
    ...extra,
  };
}

/** A start instant on a whole minute, a little ahead of the test server's clock, so every planned time is exact. */
export async function nextWholeMinute(currentTimeMs: () => Promise<number>, leadMs = 60_000): Promise<number> {
  const now = await currentTimeMs();
  return Math.ceil((now + leadMs) / 60_000) * 60_000;
}

/**
 * The progress matrix at district size, shared by bench/console-matrix.ts and bench/lib/progress-suite.ts: a cycle of
 * N units × 40 steps in four stages written straight into the read model (starting 10,000 unit workflows on this
 * machine takes minutes and is what the cycle suite and bench/start-cycle.js measure). Stage 1 accepted or waived,
 * stage 2 in full swing (open, submitted, returned, accepted; due soon, overdue and escalated at read time), stages
 * 3–4 not open. The matrix's compact cells are filled by the product's own repository, as the cycle start and every
 * read-model write keep them.
 */
import { randomUUID } from 'node:crypto';
import type { CyclePlan } from '../../libs/domain/src/plan/unit-plan';
import { ProgressCellsRepository } from '../../libs/persistence/src/repositories/progress-cells.repository';

/** Runs one statement and returns its rows (a TestDatabase's `query`, or a pg client's wrapped). */
export type Query = (text: string, params?: unknown[]) => Promise<any[]>;

const STAGES = 4;
const STEPS_PER_STAGE = 10;
const DAY = 86_400_000;

/** The 4 × 10 plan, started 54 days ago: stage 2's dues run from 4 days ago to 5 days ahead (overdue, due soon, open). */
export function matrixBenchPlan(templateKey: string, now = Date.now()): CyclePlan {
  const start = now - 54 * DAY;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    templateKey,
    templateVersion: 1,
    campaignName: '基准：进度矩阵',
    timeZone: 'Asia/Shanghai',
    cycleStartsAt: iso(start),
    stages: Array.from({ length: STAGES }, (_, s) => ({
      key: `stage-${s + 1}`,
      title: `第${s + 1}阶段`,
      opensAt: iso(start + s * 30 * DAY),
      closesAt: iso(start + (s + 1) * 30 * DAY),
      steps: Array.from({ length: STEPS_PER_STAGE }, (_, k) => ({
        key: `s${s + 1}-${String(k + 1).padStart(2, '0')}`,
        stageKey: `stage-${s + 1}`,
        title: `第${s + 1}阶段第${k + 1}项材料`,
        opensAt: iso(start + s * 30 * DAY),
        dueAt: iso(start + s * 30 * DAY + (k + 20) * DAY),
        required: true,
        reviewRequired: true,
        deliverables: [],
        reminderOffsetsMs: [],
        escalation: [],
      })),
    })),
  } as CyclePlan;
}

/** The code of the i-th unit (1-based) of a seeded cycle: `${prefix}000001` …, in the matrix's order. */
export const seededUnitCode = (prefix: string, i: number) => `${prefix}${String(i).padStart(6, '0')}`;

/**
 * A running cycle of `units` school units (codes `${codePrefix}000001` …) with its template, plan, cycle units and
 * step rows; returns the cycle id and its plan.
 */
export async function seedMatrixCycle(
  q: Query,
  opts: { units: number; codePrefix: string; cycleId?: string },
): Promise<{ id: string; plan: CyclePlan }> {
  const id = opts.cycleId ?? randomUUID();
  const templateKey = `bench-matrix-${opts.codePrefix}`;
  const plan = matrixBenchPlan(templateKey);
  const templateId = randomUUID();
  await q(
    `INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES ($1, $2, 1, 'bench', '{}', $3, 'api')`,
    [templateId, templateKey, templateId],
  );
  await q(
    `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
     VALUES ($1, $2, $3, $4, 1, $5, 'Asia/Shanghai', 'running', '{}', $6, $6, $7)`,
    [id, `基准 ${opts.units} 个单位`, templateId, templateKey, plan.cycleStartsAt, `bench-${id}`, opts.units],
  );
  await q(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, 'school', $2)`, [id, JSON.stringify(plan)]);
  await q(
    `INSERT INTO unit (id, code, name, kind) SELECT gen_random_uuid(), $2 || lpad(i::text, 6, '0'), '第' || i || '中学党支部', 'school' FROM generate_series(1, $1) i`,
    [opts.units, opts.codePrefix],
  );
  await q(
    `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status, current_stage)
     SELECT $1, id, row_number() OVER (ORDER BY code) - 1, 'school', $3 || '/' || id, 'running', 'stage-2' FROM unit WHERE code LIKE $2 || '%'`,
    [id, opts.codePrefix, `bench-${id}`],
  );
  await seedMatrixRows(q, id, plan);
  for (const table of ['unit_step_status', 'cycle_unit', 'unit']) await q(`VACUUM ANALYZE ${table}`);
  return { id, plan };
}

/** Every cycle unit's step rows by the plan with the status mix above, then the plan's step keys and the cells. */
export async function seedMatrixRows(q: Query, cycleId: string, plan: CyclePlan): Promise<void> {
  const steps = plan.stages.flatMap((s, si) => s.steps.map((st) => ({ ...st, si })));
  await q(
    `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at, original_due_at, escalation_level, on_bulletin, seq)
     SELECT $1, cu.unit_id, s.key, s.stage_key, s.title, true,
            CASE WHEN s.si = 0 THEN (CASE WHEN (cu.ordinal + s.k) % 17 = 0 THEN 'waived' ELSE 'accepted' END)
                 WHEN s.si = 1 THEN (ARRAY['open', 'submitted', 'returned', 'accepted', 'open'])[1 + (cu.ordinal + s.k) % 5]
                 ELSE 'pending' END,
            s.opens_at, s.due_at, s.due_at, CASE WHEN s.si = 1 AND (cu.ordinal + s.k) % 7 = 0 THEN 2 ELSE 0 END, false, 1
       FROM cycle_unit cu CROSS JOIN unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::timestamptz[], $8::timestamptz[]) AS s(key, stage_key, title, si, k, opens_at, due_at)
      WHERE cu.cycle_id = $1`,
    [
      cycleId,
      steps.map((s) => s.key),
      steps.map((s) => s.stageKey),
      steps.map((s) => s.title),
      steps.map((s) => s.si),
      steps.map((_, i) => i),
      steps.map((s) => s.opensAt),
      steps.map((s) => s.dueAt),
    ],
  );
  const cells = new ProgressCellsRepository({ query: q });
  await cells.fillPlanSteps(cycleId);
  await cells.refreshCycle(cycleId);
}

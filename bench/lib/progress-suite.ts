/**
 * The progress matrix at district size: a cycle of P units × 40 steps in four stages, written straight into the read
 * model (the workflows' part is measured by the cycle suite), then GET /api/cycles/:id/progress/matrix through HTTP
 * against the same SQL statement run raw on a plain pg connection, alternating, medians of several rounds.
 */
import { columnsOf, MATRIX_ROWS_SQL } from '../../apps/api/src/cycles/progress-matrix.service';
import type { CyclePlan } from '../../libs/domain/src/plan/unit-plan';
import { FILL_PLAN_STEPS_SQL, REFRESH_CELLS_SQL } from '../../libs/persistence/src/progress-cells';
import { call, median, type Stack } from './stack';

const CYCLE = '00000000-0000-4000-8000-00000000b001';
const STAGES = 4;
const STEPS_PER_STAGE = 10;
const ROUNDS = 7;
const DAY = 86_400_000;

export interface ProgressFigures {
  progressUnits: number;
  progressCells: number;
  matrixFullMs: number;
  matrixFullBytes: number;
  rawSqlFullMs: number;
  matrixPageMs: number;
  rawSqlPageMs: number;
  progressSummaryMs: number;
}

export async function progressSuite(stack: Stack, units: number, log: (m: string) => void): Promise<ProgressFigures> {
  log(`progress: seeding ${units} units × ${STAGES * STEPS_PER_STAGE} steps`);
  const plan = await seed(stack, units);
  const asOf = new Date();
  const keys = columnsOf([plan]).columns.map((c) => c.key);
  const raw = async () => {
    const t = performance.now();
    await stack.sql.query(MATRIX_ROWS_SQL, [CYCLE, null, null, null]);
    return performance.now() - t;
  };
  const http = async (query: string) => {
    const t = performance.now();
    const res = await fetch(`${stack.apiUrl}/api/cycles/${CYCLE}/progress/matrix?asOf=${encodeURIComponent(asOf.toISOString())}&${query}`, { headers: { authorization: `Bearer ${stack.token}` } });
    const body = await res.arrayBuffer();
    if (!res.ok) throw new Error(`matrix: ${res.status}`);
    return { ms: performance.now() - t, bytes: body.byteLength };
  };
  const summary = async () => {
    const t = performance.now();
    await call(stack, 'GET', `/api/cycles/${CYCLE}/progress`);
    return performance.now() - t;
  };
  await raw();
  await http('limit=100000');
  const full: number[] = [], rawFull: number[] = [], page: number[] = [], rawPage: number[] = [], sums: number[] = [];
  let bytes = 0;
  for (let i = 0; i < ROUNDS; i++) {
    rawFull.push(await raw());
    const r = await http('limit=100000');
    full.push(r.ms);
    bytes = r.bytes;
    rawPage.push(await raw());
    page.push((await http('status=overdue,escalated&limit=200')).ms);
    sums.push(await summary());
  }
  const round = (x: number) => +x.toFixed(1);
  return {
    progressUnits: units,
    progressCells: units * keys.length,
    matrixFullMs: round(median(full)),
    matrixFullBytes: bytes,
    rawSqlFullMs: round(median(rawFull)),
    matrixPageMs: round(median(page)),
    rawSqlPageMs: round(median(rawPage)),
    progressSummaryMs: round(median(sums)),
  };
}

/** Stage 1 mostly accepted, stage 2 in full swing (open, submitted, returned, due soon, overdue, escalated), 3–4 not open. */
async function seed(stack: Stack, units: number): Promise<CyclePlan> {
  const start = Date.now() - 54 * DAY; // stage 2 dues fall from 4 days ago to 5 days ahead: overdue, due soon and open
  const iso = (ms: number) => new Date(ms).toISOString();
  const plan: CyclePlan = {
    templateKey: 'bench-matrix', templateVersion: 1, campaignName: '基准：进度矩阵', timeZone: 'Asia/Shanghai', cycleStartsAt: iso(start),
    stages: Array.from({ length: STAGES }, (_, s) => ({
      key: `stage-${s + 1}`, title: `阶段${s + 1}`, opensAt: iso(start + s * 30 * DAY), closesAt: iso(start + (s + 1) * 30 * DAY),
      steps: Array.from({ length: STEPS_PER_STAGE }, (_, k) => ({
        key: `s${s + 1}-step-${String(k + 1).padStart(2, '0')}`, stageKey: `stage-${s + 1}`, title: `第${s + 1}阶段第${k + 1}项`,
        opensAt: iso(start + s * 30 * DAY), dueAt: iso(start + s * 30 * DAY + (k + 20) * DAY), required: true, reviewRequired: true,
        deliverables: [], reminderOffsetsMs: [], escalation: [],
      })),
    })),
  } as CyclePlan;
  const q = (text: string, params: unknown[] = []) => stack.sql.query(text, params);
  await q(`INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES ('00000000-0000-4000-8000-00000000b002', 'bench-matrix', 1, 'm', '{}', 'm', 'api')`);
  await q(
    `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
     VALUES ($1, '进度矩阵', '00000000-0000-4000-8000-00000000b002', 'bench-matrix', 1, $2, 'Asia/Shanghai', 'running', '{}', 'bench-matrix', 'bench-matrix', $3)`,
    [CYCLE, iso(start), units],
  );
  await q(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, 'school', $2)`, [CYCLE, JSON.stringify(plan)]);
  await q(`INSERT INTO unit (id, code, name, kind) SELECT gen_random_uuid(), 'M' || lpad(i::text, 6, '0'), '矩阵' || i || '支部', 'school' FROM generate_series(1, $1) i`, [units]);
  await q(
    `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status, current_stage)
     SELECT $1, id, row_number() OVER (ORDER BY code) - 1, 'school', 'm/' || id, 'running', 'stage-2' FROM unit WHERE code LIKE 'M%'`,
    [CYCLE],
  );
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
    [CYCLE, steps.map((s) => s.key), steps.map((s) => s.stageKey), steps.map((s) => s.title), steps.map((s) => s.si), steps.map((_, i) => i), steps.map((s) => s.opensAt), steps.map((s) => s.dueAt)],
  );
  await q(FILL_PLAN_STEPS_SQL, [CYCLE]);
  await q(REFRESH_CELLS_SQL.replace('AND cu.unit_id = ANY($2::uuid[])', ''), [CYCLE]);
  for (const table of ['unit_step_status', 'cycle_unit', 'unit']) await q(`VACUUM ANALYZE ${table}`);
  return plan;
}

/**
 * The progress matrix page at district size, in Chromium, side by side with the same page for 100 units in the
 * same run (the baseline: the page's fixed cost), and the matrix API for 10,000 units against its raw SQL.
 *
 *   flock /tmp/heavy.lock node -r ./test/integration/notifications/support/swc-register.js bench/console-matrix.ts [--units 10000] [--rounds 5]
 *
 * The read model is seeded directly in PostgreSQL (40 steps in four stages, a realistic status mix): starting
 * 10,000 unit workflows on this 2-core machine takes minutes and is measured by bench/start-cycle.js instead.
 * First screen: navigation start → the first cell of the grid is in the DOM (performance.now() in the page).
 * Scroll: the grid is scrolled to its last row in steps of one screen per animation frame; the longest frame is kept.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { MATRIX_ROWS_SQL } from '../apps/api/src/cycles/progress-matrix.service';
import type { CyclePlan } from '../libs/domain/src';
import { FILL_PLAN_STEPS_SQL, REFRESH_CELLS_SQL } from '../libs/persistence/src/progress-cells';
import { launchChromium } from '../test/browser/support/chromium';
import { openConsole, signIn } from '../test/browser/support/console-page';
import { startConsoleStack, type ConsoleStack } from '../test/browser/support/stack';
import globalSetup from '../test/setup/global-setup';
import globalTeardown from '../test/setup/global-teardown';

const option = (name: string, fallback: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
const UNITS = option('units', 10_000);
const BASELINE_UNITS = 100;
const ROUNDS = option('rounds', 5);
const DAY = 86_400_000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function seedCycle(stack: ConsoleStack, units: number, prefix: string): Promise<{ id: string }> {
  const id = randomUUID();
  const start = Date.now() - 54 * DAY; // stage 2's dues run from 4 days ago to 5 days ahead: overdue, due soon, open
  const iso = (ms: number) => new Date(ms).toISOString();
  const plan = {
    templateKey: 'bench-console', templateVersion: 1, campaignName: '基准：进度矩阵页面', timeZone: 'Asia/Shanghai', cycleStartsAt: iso(start),
    stages: Array.from({ length: 4 }, (_, s) => ({
      key: `stage-${s + 1}`, title: `第${s + 1}阶段`, opensAt: iso(start + s * 30 * DAY), closesAt: iso(start + (s + 1) * 30 * DAY),
      steps: Array.from({ length: 10 }, (_, k) => ({
        key: `s${s + 1}-${String(k + 1).padStart(2, '0')}`, stageKey: `stage-${s + 1}`, title: `第${s + 1}阶段第${k + 1}项材料`,
        opensAt: iso(start + s * 30 * DAY), dueAt: iso(start + s * 30 * DAY + (k + 20) * DAY), required: true, reviewRequired: true,
        deliverables: [], reminderOffsetsMs: [], escalation: [],
      })),
    })),
  } as unknown as CyclePlan;
  const q = (text: string, params: unknown[] = []) => stack.db.query(text, params);
  const templateId = randomUUID();
  await q(`INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES ($1, $2, 1, 'bench', '{}', $3, 'api')`, [templateId, `bench-${prefix}`, templateId]);
  await q(
    `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection, request_key, workflow_id, unit_count)
     VALUES ($1, $2, $3, $4, 1, $5, 'Asia/Shanghai', 'running', '{}', $7, $7, $6)`,
    [id, `基准 ${units} 个单位`, templateId, `bench-${prefix}`, iso(start), units, `bench-${id}`],
  );
  await q(`INSERT INTO cycle_plan (cycle_id, unit_kind, plan) VALUES ($1, 'school', $2)`, [id, JSON.stringify(plan)]);
  await q(`INSERT INTO unit (id, code, name, kind) SELECT gen_random_uuid(), $2 || lpad(i::text, 6, '0'), '第' || i || '中学党支部', 'school' FROM generate_series(1, $1) i`, [units, prefix]);
  await q(
    `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status, current_stage)
     SELECT $1, id, row_number() OVER (ORDER BY code) - 1, 'school', $3 || '/' || id, 'running', 'stage-2' FROM unit WHERE code LIKE $2 || '%'`,
    [id, prefix, `bench-${id}`],
  );
  const steps = (plan.stages as unknown as { steps: { key: string; stageKey: string; title: string; opensAt: string; dueAt: string }[] }[]).flatMap((s, si) => s.steps.map((st) => ({ ...st, si })));
  await q(
    `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at, original_due_at, escalation_level, on_bulletin, seq)
     SELECT $1, cu.unit_id, s.key, s.stage_key, s.title, true,
            CASE WHEN s.si = 0 THEN (CASE WHEN (cu.ordinal + s.k) % 17 = 0 THEN 'waived' ELSE 'accepted' END)
                 WHEN s.si = 1 THEN (ARRAY['open', 'submitted', 'returned', 'accepted', 'open'])[1 + (cu.ordinal + s.k) % 5]
                 ELSE 'pending' END,
            s.opens_at, s.due_at, s.due_at, CASE WHEN s.si = 1 AND (cu.ordinal + s.k) % 7 = 0 THEN 2 ELSE 0 END, false, 1
       FROM cycle_unit cu CROSS JOIN unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[], $7::timestamptz[], $8::timestamptz[]) AS s(key, stage_key, title, si, k, opens_at, due_at)
      WHERE cu.cycle_id = $1`,
    [id, steps.map((s) => s.key), steps.map((s) => s.stageKey), steps.map((s) => s.title), steps.map((s) => s.si), steps.map((_, i) => i), steps.map((s) => s.opensAt), steps.map((s) => s.dueAt)],
  );
  // The matrix's compact copy (cycle_unit.cells), as the start transaction and every read-model write keep it.
  await q(FILL_PLAN_STEPS_SQL, [id]);
  await q(REFRESH_CELLS_SQL.replace('AND cu.unit_id = ANY($2::uuid[])', ''), [id]);
  await q('ANALYZE unit_step_status; ANALYZE cycle_unit; ANALYZE unit');
  return { id };
}

/** Loads the matrix page; ms from navigation start until the first grid cell is in the DOM. */
async function firstScreen(page: Page, cycleId: string): Promise<number> {
  await page.goto('/campaigns');
  await page.getByTestId('current-user').waitFor();
  await page.goto(`/cycles/${cycleId}/matrix`);
  await page.waitForSelector('a[data-step]', { timeout: 30_000 });
  return page.evaluate(() => performance.now());
}

/** Scrolls the grid to the bottom one screen per frame; the longest frame (ms) and whether the last row showed. */
async function scrollToEnd(page: Page, lastCode: string): Promise<{ longestFrameMs: number; frames: number; sawLast: boolean }> {
  return page.evaluate(async (last) => {
    const el = document.querySelector('[data-testid="matrix-scroll"]') as HTMLElement;
    const frames: number[] = [];
    let prev = performance.now();
    while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
      el.scrollTop += el.clientHeight;
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      frames.push(now - prev);
      prev = now;
    }
    // Two more frames so the last screen has rendered.
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const now = performance.now();
      frames.push(now - prev);
      prev = now;
    }
    return { longestFrameMs: Math.max(...frames), frames: frames.length, sawLast: !!document.querySelector(`[data-row="${last}"]`) };
  }, lastCode);
}

async function main() {
  // The same embedded PostgreSQL (migrated template database) and workflow bundle a Jest run sets up.
  await globalSetup();
  try {
    await measure();
  } finally {
    await globalTeardown();
  }
}

async function measure() {
  log('starting the stack (PostgreSQL, Temporal dev server, api with the built console, worker) and Chromium');
  const [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  try {
    log(`seeding ${UNITS} and ${BASELINE_UNITS} units × 40 steps in the read model`);
    const big = await seedCycle(stack, UNITS, 'B');
    const small = await seedCycle(stack, BASELINE_UNITS, 'S');

    // The API: full dump over HTTP vs the same statement raw on the api's own connection pool.
    const asOf = new Date();
    const raw = async () => {
      const t = performance.now();
      await stack.db.query(MATRIX_ROWS_SQL, [big.id, null, null, null]);
      return performance.now() - t;
    };
    const http = async () => {
      const t = performance.now();
      const res = await stack.api(`/api/cycles/${big.id}/progress/matrix?limit=100000&asOf=${encodeURIComponent(asOf.toISOString())}`);
      const bytes = (await res.arrayBuffer()).byteLength;
      if (!res.ok) throw new Error(`matrix ${res.status}`);
      return { ms: performance.now() - t, bytes };
    };
    await raw();
    await http();
    const apiMs: number[] = [], rawMs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < ROUNDS; i++) {
      rawMs.push(await raw());
      const h = await http();
      apiMs.push(h.ms);
      bytes = h.bytes;
    }

    const { page, context } = await openConsole(browser, stack);
    await signIn(page, stack.office, '/campaigns');
    const figures: Record<string, { firstScreenMs: number[]; longestFrameMs: number[]; sawLast: boolean[] }> = { big: { firstScreenMs: [], longestFrameMs: [], sawLast: [] }, small: { firstScreenMs: [], longestFrameMs: [], sawLast: [] } };
    for (let i = 0; i < ROUNDS; i++) {
      for (const [name, c, n, prefix] of [['small', small, BASELINE_UNITS, 'S'], ['big', big, UNITS, 'B']] as const) {
        const first = await firstScreen(page, c.id);
        const s = await scrollToEnd(page, `${prefix}${String(n).padStart(6, '0')}`);
        figures[name].firstScreenMs.push(first);
        figures[name].longestFrameMs.push(s.longestFrameMs);
        figures[name].sawLast.push(s.sawLast);
        log(`round ${i + 1} ${name}: first screen ${first.toFixed(0)} ms, longest scroll frame ${s.longestFrameMs.toFixed(1)} ms over ${s.frames} frames, last row ${s.sawLast}`);
      }
    }
    await context.close();
    const r = (x: number) => +x.toFixed(1);
    const result = {
      units: UNITS,
      baselineUnits: BASELINE_UNITS,
      rounds: ROUNDS,
      firstScreenMs: { ours: r(median(figures.big.firstScreenMs)), baseline: r(median(figures.small.firstScreenMs)) },
      longestScrollFrameMs: { ours: r(Math.max(...figures.big.longestFrameMs)), baseline: r(Math.max(...figures.small.longestFrameMs)) },
      lastRowReached: figures.big.sawLast.every(Boolean) && figures.small.sawLast.every(Boolean),
      api: { httpMs: r(median(apiMs)), rawSqlMs: r(median(rawMs)), bytes },
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    log(`first screen ${result.firstScreenMs.ours} ms vs ${result.firstScreenMs.baseline} ms (×${(result.firstScreenMs.ours / result.firstScreenMs.baseline).toFixed(2)}); longest scroll frame ${result.longestScrollFrameMs.ours} vs ${result.longestScrollFrameMs.baseline} ms; API ${result.api.httpMs} ms vs raw SQL ${result.api.rawSqlMs} ms`);
  } finally {
    await browser.close();
    await stack.close();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

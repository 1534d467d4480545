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
import type { Page } from 'playwright-core';
import { ProgressMatrixRepository } from '../apps/api/src/cycles/progress-matrix.repository';
import { launchChromium } from '../test/browser/support/chromium';
import { openConsole, signIn } from '../test/browser/support/console-page';
import { startConsoleStack } from '../test/browser/support/stack';
import globalSetup from '../test/setup/global-setup';
import globalTeardown from '../test/setup/global-teardown';
import { seededUnitCode, seedMatrixCycle } from './lib/matrix-seed';

const option = (name: string, fallback: number) => (process.argv.includes(`--${name}`) ? Number(process.argv[process.argv.indexOf(`--${name}`) + 1]) : fallback);
const UNITS = option('units', 10_000);
const BASELINE_UNITS = 100;
const ROUNDS = option('rounds', 5);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

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
    const big = await seedMatrixCycle(stack.db.query, { units: UNITS, codePrefix: 'B' });
    const small = await seedMatrixCycle(stack.db.query, { units: BASELINE_UNITS, codePrefix: 'S' });

    // The API: full dump over HTTP vs the same statement raw on the api's own connection pool.
    const asOf = new Date();
    const rows = new ProgressMatrixRepository(stack.db);
    const raw = async () => {
      const t = performance.now();
      await rows.rows(big.id);
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
        const s = await scrollToEnd(page, seededUnitCode(prefix, n));
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

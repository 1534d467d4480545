/**
 * The progress matrix page at district size, in Chromium, side by side with the same page for 100 units in the
 * same run (the baseline: the page's fixed cost), and the matrix API for 10,000 units against its raw SQL.
 *
 *   flock /tmp/heavy.lock node --max-old-space-size=4096 -r ./test/integration/notifications/support/swc-register.js bench/console-matrix.ts \
 *     [--units 10000] [--rounds 5] [--trace /tmp/matrix-scroll.json]
 *
 * The read model is seeded directly in PostgreSQL (bench/lib/matrix-seed.ts: 40 steps in four stages, a realistic
 * status mix): starting 10,000 unit workflows on this 2-core machine takes minutes and is measured elsewhere.
 * First screen: navigation start → the first cell of the grid is in the DOM (performance.now() in the page).
 * Scroll: the grid is scrolled to its last row one screen per animation frame (bench/lib/matrix-page.ts); every
 * frame's length and the long tasks are kept. Each round scrolls the 100-unit page, the 10,000-unit page, and the
 * 10,000-unit page again while one unit's cells change every second ("live": the 5 s refetch then brings a whole
 * new answer mid-scroll instead of a 304). --trace writes a Chromium performance trace of one live scroll.
 */
import { loadavg } from 'node:os';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ProgressMatrixQuery } from '../apps/api/src/cycles/dto/progress-matrix.dto';
import { ProgressMatrixRepository } from '../apps/api/src/cycles/progress-matrix.repository';
import { ProgressMatrixService } from '../apps/api/src/cycles/progress-matrix.service';
import { launchChromium } from '../test/browser/support/chromium';
import { openConsole, signIn } from '../test/browser/support/console-page';
import { startConsoleStack, type ConsoleStack } from '../test/browser/support/stack';
import globalSetup from '../test/setup/global-setup';
import globalTeardown from '../test/setup/global-teardown';
import { firstScreen, scrollToEnd, type ScrollFigures } from './lib/matrix-page';
import { seededUnitCode, seedMatrixCycle } from './lib/matrix-seed';

const argument = (name: string) =>
  process.argv.includes(`--${name}`) ? process.argv[process.argv.indexOf(`--${name}`) + 1] : undefined;
const UNITS = Number(argument('units') ?? 10_000);
const BASELINE_UNITS = 100;
const ROUNDS = Number(argument('rounds') ?? 5);
const TRACE = argument('trace');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const r1 = (x: number) => +x.toFixed(1);
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

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
  const loadAvgBefore = r1(loadavg()[0]);
  log('starting the stack (PostgreSQL, Temporal dev server, api with the built console, worker) and Chromium');
  const [stack, browser] = await Promise.all([startConsoleStack(), launchChromium()]);
  try {
    log(`seeding ${UNITS} and ${BASELINE_UNITS} units × 40 steps in the read model`);
    const big = await seedMatrixCycle(stack.db.query, { units: UNITS, codePrefix: 'B' });
    const small = await seedMatrixCycle(stack.db.query, { units: BASELINE_UNITS, codePrefix: 'S' });
    const api = await apiFigures(stack, big.id, small.id);
    log(`API: ${JSON.stringify(api)}`);

    const { page, context } = await openConsole(browser, stack);
    const answers: number[] = [];
    page.on('response', (res) => /\/progress\/matrix\?/.test(res.url()) && answers.push(res.status()));
    await signIn(page, stack.office, '/campaigns');
    const kinds = ['small', 'big', 'live'] as const;
    const rounds = Object.fromEntries(
      kinds.map((k) => [k, [] as (ScrollFigures & { firstScreenMs: number; answers: string })[]]),
    );
    for (let i = 0; i < ROUNDS; i++) {
      for (const kind of kinds) {
        const [cycle, n, prefix] = kind === 'small' ? [small, BASELINE_UNITS, 'S'] : [big, UNITS, 'B'];
        const first = await firstScreen(page, cycle.id);
        answers.length = 0;
        const writer = kind === 'live' ? changeCellsEverySecond(stack, big.id, UNITS) : undefined;
        const trace = TRACE && kind === 'live' && i === 0;
        if (trace)
          await browser.startTracing(page, {
            path: TRACE,
            categories: [
              'devtools.timeline',
              'v8.execute',
              'disabled-by-default-devtools.timeline',
              'blink.user_timing',
            ],
          });
        const s = await scrollToEnd(page, seededUnitCode(prefix, n));
        if (trace) await browser.stopTracing();
        await writer?.stop();
        const counted = `${answers.filter((x) => x === 200).length}×200 ${answers.filter((x) => x === 304).length}×304`;
        rounds[kind].push({ ...s, firstScreenMs: first, answers: counted });
        log(
          `round ${i + 1} ${kind}: first screen ${first.toFixed(0)} ms; ${s.frames} frames, longest ${s.longestFrameMs.toFixed(1)} ms, p95 ${s.p95FrameMs.toFixed(1)} ms; ${s.longTasks} long tasks (longest ${s.longestTaskMs.toFixed(0)} ms); matrix answers during the scroll ${counted}; last row ${s.sawLast}, rows consistent ${s.rowsConsistent}`,
        );
      }
    }
    await context.close();
    const summary = (k: (typeof kinds)[number]) => ({
      firstScreenMs: r1(median(rounds[k].map((x) => x.firstScreenMs))),
      longestFrameMs: r1(Math.max(...rounds[k].map((x) => x.longestFrameMs))),
      p95FrameMs: r1(Math.max(...rounds[k].map((x) => x.p95FrameMs))),
      longestFramePerRound: rounds[k].map((x) => r1(x.longestFrameMs)),
      p95FramePerRound: rounds[k].map((x) => r1(x.p95FrameMs)),
      frames: rounds[k][0].frames,
      longTasks: rounds[k].reduce((n, x) => n + x.longTasks, 0),
      answersDuringScroll: rounds[k].map((x) => x.answers),
      lastRowReached: rounds[k].every((x) => x.sawLast),
      rowsConsistent: rounds[k].every((x) => x.rowsConsistent),
    });
    const result = {
      loadAvgBefore,
      loadAvgAfter: r1(loadavg()[0]),
      units: UNITS,
      baselineUnits: BASELINE_UNITS,
      rounds: ROUNDS,
      small: summary('small'),
      big: summary('big'),
      live: summary('live'),
      api,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
    log(
      `first screen ${result.big.firstScreenMs} vs ${result.small.firstScreenMs} ms; longest frame ${result.big.longestFrameMs} (live ${result.live.longestFrameMs}) vs ${result.small.longestFrameMs} ms; ` +
        `p95 ${result.big.p95FrameMs} (live ${result.live.p95FrameMs}) vs ${result.small.p95FrameMs} ms; API ${api.httpMs} ms vs raw SQL ${api.rawSqlMs} ms, 304 ${api.notModifiedMs} ms`,
    );
  } finally {
    await browser.close();
    await stack.close();
  }
}

/**
 * The matrix API for the big cycle, medians of ROUNDS alternating rounds: the full dump over HTTP (auth, pipes,
 * the service, the serialised body, loopback; and until its headers arrived) against the same rows statement on a plain connection; the service
 * alone in process; the 304 to a held ETag; the 100-unit cycle's dump (the per-request cost); and what gzip would
 * cost and save on the full dump.
 */
async function apiFigures(stack: ConsoleStack, bigId: string, smallId: string) {
  const asOf = new Date().toISOString();
  const rows = new ProgressMatrixRepository(stack.db);
  const service = stack.app.get(ProgressMatrixService);
  const timed = async <T>(f: () => Promise<T>): Promise<[number, T]> => {
    const t = performance.now();
    const value = await f();
    return [performance.now() - t, value];
  };
  const get = async (id: string, etag?: string) => {
    const t = performance.now();
    const res = await stack.api(`/api/cycles/${id}/progress/matrix?limit=100000&asOf=${encodeURIComponent(asOf)}`, {
      headers: etag ? { 'If-None-Match': etag } : {},
    });
    if (id === bigId && !etag) figures.headersMs.push(performance.now() - t);
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== (etag ? 304 : 200)) throw new Error(`matrix: ${res.status}`);
    return { body, etag: res.headers.get('etag') ?? undefined };
  };
  // headersMs: until the answer's headers arrived (the api's work); httpMs: until the whole body was read.
  const figures = {
    rawSqlMs: [] as number[],
    httpMs: [] as number[],
    headersMs: [] as number[],
    serviceMs: [] as number[],
    notModifiedMs: [] as number[],
    baselineHttpMs: [] as number[],
  };
  let last = await get(bigId);
  await rows.rows(bigId);
  figures.headersMs.length = 0;
  for (let i = 0; i < ROUNDS; i++) {
    figures.rawSqlMs.push((await timed(() => rows.rows(bigId)))[0]);
    const [ms, answer] = await timed(() => get(bigId));
    figures.httpMs.push(ms);
    last = answer;
    figures.serviceMs.push(
      (await timed(() => service.answer(bigId, { limit: 100_000, asOf } as ProgressMatrixQuery)))[0],
    );
    figures.notModifiedMs.push((await timed(() => get(bigId, last.etag)))[0]);
    figures.baselineHttpMs.push((await timed(() => get(smallId)))[0]);
  }
  const [gzipMs, gzipped] = await timed(async () => gzipSync(last.body));
  const [gunzipMs] = await timed(async () => gunzipSync(gzipped));
  return {
    ...(Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, r1(median(v))])) as Record<
      keyof typeof figures,
      number
    >),
    bytes: last.body.byteLength,
    gzip: { ms: r1(gzipMs), bytes: gzipped.byteLength, gunzipMs: r1(gunzipMs) },
  };
}

/** Flips one unit's first stage-2 cell between open and submitted every second (a new answer on every refetch). */
function changeCellsEverySecond(stack: ConsoleStack, cycleId: string, units: number) {
  let n = 0;
  const flip = () =>
    stack.db.query(
      `UPDATE cycle_unit SET cells = overlay(cells PLACING (CASE WHEN substr(cells, 11, 1) = 's' THEN 'o' ELSE 's' END) FROM 11 FOR 1) WHERE cycle_id = $1 AND ordinal = $2`,
      [cycleId, (n++ * 7919) % units],
    );
  let pending = flip();
  const timer = setInterval(() => {
    pending = pending.then(flip); // chained, awaited by stop()
  }, 1000);
  return {
    async stop() {
      clearInterval(timer);
      await pending;
    },
  };
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

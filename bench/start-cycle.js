'use strict';
/**
 * Benchmark: start a campaign cycle for 5,000 units through the public API of a running stack (`npm start`).
 *
 *   1. imports BENCH_UNITS units (default 5,000) under a fresh root in ONE POST /api/units/import (JSON);
 *   2. POST /api/cycles for all of them (subtree of the root, root excluded by kind) and times the answer;
 *   3. polls GET /api/cycles/:id/progress until every unit workflow is started (cycle_unit.status ≠ pending), then
 *      until every unit workflow has written its first read-model transition (one row per unit for the first step);
 *   4. POST /api/cycles/:id/cancel and polls until every unit reports cancelled (the signal fan-out).
 *
 * A plain HTTP client (Node ≥ 20 fetch, no build step). Environment:
 *   BENCH_API (default http://127.0.0.1:$API_PORT or :3000), BENCH_UNITS, BENCH_TEMPLATE (default the built-in
 *   xuhui-2009-study-practice), BENCH_ANSWER_ONLY=1 (measure the import and the start request only, then cancel at
 *   once: for 100,000 units), and the office admin to log in as (every endpoint needs a bearer token; importing units
 *   and starting a cycle need office_admin): BENCH_ADMIN_EMAIL / BENCH_ADMIN_PASSWORD, else BOOTSTRAP_ADMIN_EMAIL /
 *   BOOTSTRAP_ADMIN_PASSWORD, else the admin `npm start` generated in DATA_DIR/local-secrets.json (DATA_DIR: .data).
 * Run: `npm run bench:start-cycle` (see docs/BENCHMARKS.md for the exact commands and figures).
 */

const base = process.env.BENCH_API || `http://127.0.0.1:${process.env.API_PORT || 3000}`;
const unitCount = Number(process.env.BENCH_UNITS || 5000);
const templateKey = process.env.BENCH_TEMPLATE || 'xuhui-2009-study-practice';
const POLL_MS = 200;
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_MS || 15 * 60_000);

let authorization;

async function call(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new Error(`${method} ${path} → HTTP ${res.status}: ${text.slice(0, 500)}`);
  return { status: res.status, body: json };
}

async function until(what, probe, done) {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() - started > TIMEOUT_MS)
      throw new Error(`${what}: not reached within ${TIMEOUT_MS} ms (last: ${JSON.stringify(value).slice(0, 300)})`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** The office admin to act as (see the header comment for the order the sources are tried in). */
function adminCredentials() {
  const env = process.env;
  if (env.BENCH_ADMIN_EMAIL && env.BENCH_ADMIN_PASSWORD)
    return { email: env.BENCH_ADMIN_EMAIL, password: env.BENCH_ADMIN_PASSWORD };
  if (env.BOOTSTRAP_ADMIN_EMAIL && env.BOOTSTRAP_ADMIN_PASSWORD)
    return { email: env.BOOTSTRAP_ADMIN_EMAIL, password: env.BOOTSTRAP_ADMIN_PASSWORD };
  const file = require('node:path').resolve(__dirname, '..', env.DATA_DIR || '.data', 'local-secrets.json');
  try {
    const { adminEmail, adminPassword } = JSON.parse(require('node:fs').readFileSync(file, 'utf8'));
    if (adminEmail && adminPassword) return { email: adminEmail, password: adminPassword };
  } catch {
    // no local secrets: fall through to the message below
  }
  throw new Error(
    `no office admin to log in as: set BENCH_ADMIN_EMAIL/BENCH_ADMIN_PASSWORD (or BOOTSTRAP_ADMIN_*), or run against npm start's stack (${file})`,
  );
}

const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

async function main() {
  await until(
    'api health',
    () =>
      fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      ),
    Boolean,
  );
  const login = await call('POST', '/api/auth/login', adminCredentials());
  authorization = `Bearer ${login.body.accessToken}`;

  // A tree like a district's: one root, a 党总支 per 50 units, branches of several kinds under each.
  const run = Date.now().toString(36);
  const root = `bench-${run}`;
  const kinds = ['school', 'kindergarten', 'vocational', 'agency'];
  const code = (i) => `${root}-${String(i).padStart(6, '0')}`;
  const units = [{ code: root, name: `压测党工委 ${run}`, kind: 'office' }];
  for (let i = 0; i < unitCount; i++) {
    const head = i % 50 === 0;
    units.push({
      code: code(i),
      name: head ? `压测党总支 ${i / 50}` : `压测党支部 ${i}`,
      kind: head ? 'general_branch' : kinds[i % kinds.length],
      parentCode: head ? root : code(i - (i % 50)),
      secretaryName: `书记${i}`,
      email: `unit${i}@bench.example.cn`,
    });
  }

  let t = Date.now();
  const imported = await call('POST', '/api/units/import', { units });
  const importMs = Date.now() - t;
  if (imported.body.created !== unitCount + 1)
    throw new Error(`import created ${imported.body.created}, expected ${unitCount + 1}`);

  // Next year's campaign: nothing is due yet, so the figures measure starting, not a burst of overdue notices.
  const startsAt = `${new Date().getUTCFullYear() + 1}-03-01`;
  const body = {
    templateKey,
    name: `压测 ${unitCount} 个单位 ${run}`,
    startsAt,
    units: { subtreeOf: root, kinds: ['general_branch', ...kinds] },
  };
  t = Date.now();
  const started = await call('POST', '/api/cycles', body);
  const apiMs = Date.now() - t;
  const cycle = started.body;
  if (cycle.unitCount !== unitCount) throw new Error(`cycle has ${cycle.unitCount} units, expected ${unitCount}`);

  const progress = () => call('GET', `/api/cycles/${cycle.id}/progress`).then((r) => r.body);
  if (process.env.BENCH_ANSWER_ONLY) {
    await call('POST', `/api/cycles/${cycle.id}/cancel`, { reason: 'benchmark: answer only' });
    console.log(`import of ${unitCount + 1} units (one request)      ${seconds(importMs)}`);
    console.log(`POST /api/cycles answered                   ${seconds(apiMs)}`);
    console.log(
      JSON.stringify({
        units: unitCount,
        template: `${cycle.templateKey} v${cycle.templateVersion}`,
        cycleId: cycle.id,
        importMs,
        startRequestMs: apiMs,
      }),
    );
    return;
  }
  const allStarted = await until('all unit workflows started', progress, (p) => p.units.started === unitCount);
  const startedMs = Date.now() - t;
  const firstStep = allStarted.steps[0]?.stepKey;
  await until(
    'every unit recorded in the read model',
    progress,
    (p) => p.steps.length > 0 && p.steps[0].total === unitCount && p.status === 'running',
  );
  const recordedMs = Date.now() - t;

  // Same request again: must be the same cycle, answered without starting anything.
  t = Date.now();
  const again = await call('POST', '/api/cycles', body);
  const repeatMs = Date.now() - t;
  if (again.status !== 200 || again.body.id !== cycle.id)
    throw new Error(`repeated start gave HTTP ${again.status} cycle ${again.body.id}`);

  t = Date.now();
  await call('POST', `/api/cycles/${cycle.id}/cancel`, { reason: 'benchmark finished' });
  await until('every unit cancelled', progress, (p) => (p.units.byStatus.cancelled || 0) === unitCount);
  const cancelMs = Date.now() - t;

  const result = {
    units: unitCount,
    template: `${cycle.templateKey} v${cycle.templateVersion}`,
    cycleId: cycle.id,
    importMs,
    startRequestMs: apiMs,
    allWorkflowsStartedMs: startedMs,
    readModelCompleteMs: recordedMs,
    repeatedStartMs: repeatMs,
    cancelFanOutMs: cancelMs,
    firstStep,
  };
  console.log(`import of ${unitCount + 1} units (one request)      ${seconds(importMs)}`);
  console.log(`POST /api/cycles answered                   ${seconds(apiMs)}`);
  console.log(`all ${unitCount} unit workflows started      ${seconds(startedMs)} after the request`);
  console.log(`all ${unitCount} units in the read model     ${seconds(recordedMs)} after the request`);
  console.log(`same request repeated (200, same cycle)     ${seconds(repeatMs)}`);
  console.log(`cancel fanned out to all ${unitCount} units  ${seconds(cancelMs)}`);
  console.log(JSON.stringify(result));
}

main().catch((error) => {
  console.error(`bench failed: ${error.message}`);
  process.exit(1);
});

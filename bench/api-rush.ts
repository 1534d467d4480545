/**
 * Issue 11 item 5, the api under a deadline rush (`npm run bench -- --only api-rush`): 200 signed-in unit users at
 * once — autocannon from a second process (bench/api-rush-load.ts), 200 connections on 127.0.0.1, each speaking as
 * one user — reading their tasks, saving their drafts (If-Match) and submitting, against the real api in its own
 * process (default pool of 10, as deployed). Beside it, in the same run and on the same PostgreSQL, the bare baseline:
 * a minimal NestJS app with the same persistence module and pool whose one route runs `SELECT 1`
 * (bench/api-rush-baseline.ts). Per route p50/p95/p99 ours vs baseline and the ratio, 5xx count, the api's RSS before
 * and after. The rest of the stack (PostgreSQL, the Temporal dev server, the worker) is bench/lib/stack.ts's.
 */
import { JwtService } from '@nestjs/jwt';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { TokenClaims } from '../apps/api/src/auth/bearer-auth.guard';
import { runTypeScriptChild, spawnServer, stopProcess } from '../test/support/api-stack';
import {
  completeStudyDraft,
  insertCycle,
  schoolUnitInput,
  startUnitWorkflow,
  submissionTestPlan,
} from '../test/support/cycle-fixtures';
import type { PhaseResult, RouteName, RushPhase, RushUser } from './api-rush-load';
import { inFlight, startStack, TASK_QUEUE, until, type Stack } from './lib/stack';

const USERS = 200;
const STEP = 'study-research';

export interface RushRoute extends PhaseResult {
  /** ours / the bare route's, per percentile (the bare route's own rows: 1). */
  ratio: { p50: number; p95: number; p99: number };
  /** api RSS after this phase, MiB. */
  apiRssMiB: number;
}

export interface RushFigures {
  run: number;
  loadAvgBefore: number;
  users: number;
  seconds: number;
  routes: RushRoute[];
  fiveXx: number;
  /** The 5xx answers by status and error code, all routes and soak rounds. */
  fiveXxCodes?: Record<string, number>;
  apiRssMiB: { beforeWarmup: number; afterWarmup: number; after: number };
  /** `--soak-rounds N`: after the timed routes, N more rounds of tasks then drafts, the api's RSS after each. */
  soak?: SoakRound[];
}

export interface SoakRound {
  round: number;
  requests: number;
  fiveXx: number;
  tasksP99: number;
  draftP99: number;
  apiRssMiB: number;
}

const fiveXxOf = (statuses: Record<string, number>) =>
  Object.entries(statuses).reduce((n, [status, count]) => n + (Number(status) >= 500 ? count : 0), 0);

/** Resident set of a process, MiB (Linux /proc). */
function rssMiB(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return Math.round(kb / 102.4) / 10;
}

/** 200 units in one running cycle with their workflows' first step open, an account each, a draft each. */
async function arrange(
  stack: Stack,
  api: string,
  sign: (claims: TokenClaims) => Promise<string>,
  log: (m: string) => void,
): Promise<RushUser[]> {
  const q = async <T>(text: string, params: unknown[]) => (await stack.sql.query(text, params)).rows as T[];
  const units = await q<{ id: string; code: string }>(
    `INSERT INTO unit (id, code, name, kind) SELECT gen_random_uuid(), 'RUSH-' || n, '第' || n || '支部', 'school' FROM generate_series(1, $1::int) n RETURNING id, code`,
    [USERS],
  );
  const plan = submissionTestPlan(Date.now());
  const cycleId = await insertCycle(
    stack.api.get(DataSource),
    units.map((u) => u.id),
    plan,
  );
  const accounts = await q<{ id: string; email: string; unit_id: string }>(
    `INSERT INTO app_user (id, email, display_name, password_hash, roles, unit_id)
     SELECT gen_random_uuid(), lower(u.code) || '@rush.example.org', u.code, 'not-a-login-hash', ARRAY['unit_secretary'], u.id FROM unnest($1::uuid[], $2::text[]) AS u(id, code)
     RETURNING id, email, unit_id`,
    [units.map((u) => u.id), units.map((u) => u.code)],
  );
  await inFlight(units, 50, (u) =>
    startUnitWorkflow(stack.env.client, TASK_QUEUE, schoolUnitInput(cycleId, { ...u, name: u.code }, plan)),
  );
  const since = Date.now();
  const openMs = await until(
    'every first step open',
    async () =>
      (
        await q<{ n: number }>(
          `SELECT count(*)::int AS n FROM unit_step_status WHERE cycle_id = $1 AND step_key = $2 AND status = 'open'`,
          [cycleId, STEP],
        )
      )[0].n === USERS,
    since,
    120_000,
  );
  log(`api-rush: ${USERS} workflows started, steps open after ${openMs} ms`);
  const users: RushUser[] = [];
  await inFlight(accounts, 20, async (a) => {
    const token = await sign({ sub: a.id, email: a.email, roles: ['unit_secretary'], unitId: a.unit_id, tv: 0 });
    const res = await fetch(`${api}/api/submissions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'idempotency-key': randomBytes(16).toString('hex'),
      },
      body: JSON.stringify({ cycleId, unitId: a.unit_id, stepKey: STEP, deliverables: [] }),
    });
    const body = (await res.json()) as { id: string; draftRevision: number };
    if (res.status !== 201) throw new Error(`create draft: ${res.status} ${JSON.stringify(body)}`);
    users.push({ token, submissionId: body.id, revision: body.draftRevision });
  });
  // Statistics as a running system has them: rows written seconds ago have none until autovacuum's next round
  // (up to a minute), and without them PostgreSQL plans "my tasks" across the whole cycle instead of the unit.
  await q('ANALYZE', []);
  return users;
}

async function oneRun(
  run: number,
  seconds: number,
  soakRounds: number,
  log: (m: string) => void,
): Promise<RushFigures> {
  const loadAvgBefore = +loadavg()[0].toFixed(2);
  log(`api-rush run ${run}: starting PostgreSQL, Temporal dev server, worker`);
  const stack = await startStack({ emailRate: 20, smtpConnections: 4, noticeConcurrency: 8 });
  const secret = randomBytes(48).toString('base64url');
  // logging off in both apps: the figures are our request path against the framework's, not log I/O
  const common = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: stack.pgUrl,
    TEMPORAL_ADDRESS: stack.env.address,
    TEMPORAL_NAMESPACE: stack.env.namespace ?? 'default',
  };
  // whatever started is stopped, also when a server fails to start
  const servers: { child: ChildProcess }[] = [];
  const spawned = async (file: string, env: Record<string, string>, nodeArgs: string[] = []) => {
    const server = await spawnServer(file, env, nodeArgs);
    servers.push(server);
    return server;
  };
  try {
    const api = await spawned(
      join(__dirname, '..', 'test', 'support', 'api-process.ts'),
      {
        ...common,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        JWT_SECRET: secret,
        ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'rush-att-')),
      },
      // RUSH_API_CPU_PROF=<dir>: the api writes a V8 CPU profile of the whole run there (where its time goes)
      process.env.RUSH_API_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.RUSH_API_CPU_PROF}`] : [],
    );
    const bare = await spawned(join(__dirname, 'api-rush-baseline.ts'), common);
    const jwt = new JwtService({ secret, signOptions: { algorithm: 'HS256' } });
    const users = await arrange(stack, api.base, (claims) => jwt.signAsync(claims, { expiresIn: 3600 }), log);
    const pid = api.child.pid!;
    const phase = async (route: RouteName, base: string, opts: Partial<RushPhase>) => {
      const { revisions, ...result } = await runTypeScriptChild<PhaseResult>(
        join(__dirname, 'api-rush-load.ts'),
        { route, base, users, connections: USERS, draft: completeStudyDraft(), ...opts } satisfies RushPhase,
        300_000,
      );
      // the next draft phase's If-Match continues from where this one's answers left each draft
      revisions?.forEach((revision, i) => (users[i].revision = revision));
      return result;
    };
    const beforeWarmup = rssMiB(pid);
    log('api-rush: warm-up (3 s of tasks and of the bare route, not counted)');
    await phase('GET /api/portal/tasks', api.base, { durationS: 3 });
    await phase('bare SELECT 1', bare.base, { durationS: 3 });
    const afterWarmup = rssMiB(pid);
    const results: { result: PhaseResult; rss: number }[] = [];
    const measure = async (route: RouteName, base: string, opts: Partial<RushPhase>) => {
      log(`api-rush: ${route}`);
      const result = await phase(route, base, opts);
      results.push({ result, rss: rssMiB(pid) });
      // answers in flight when a timed phase ends land before the next one starts
      await new Promise((r) => setTimeout(r, 1000));
    };
    await measure('bare SELECT 1', bare.base, { durationS: seconds });
    await measure('GET /api/portal/tasks', api.base, { durationS: seconds });
    await measure('PUT /api/submissions/:id/draft', api.base, { durationS: seconds });
    const soak: SoakRound[] = [];
    const fiveXxCodes: Record<string, number> = {};
    const countCodes = (r: PhaseResult) => {
      for (const [code, n] of Object.entries(r.fiveXxCodes ?? {})) fiveXxCodes[code] = (fiveXxCodes[code] ?? 0) + n;
    };
    for (let round = 1; round <= soakRounds; round++) {
      log(`api-rush: soak round ${round} of ${soakRounds}`);
      const tasks = await phase('GET /api/portal/tasks', api.base, { durationS: seconds });
      const drafts = await phase('PUT /api/submissions/:id/draft', api.base, { durationS: seconds });
      [tasks, drafts].forEach(countCodes);
      soak.push({
        round,
        requests: tasks.requests + drafts.requests,
        fiveXx: fiveXxOf(tasks.statuses) + fiveXxOf(drafts.statuses),
        tasksP99: tasks.p99,
        draftP99: drafts.p99,
        apiRssMiB: rssMiB(pid),
      });
    }
    // one submit per user (a second one would be 409 ALREADY_SUBMITTED): 200 at once
    await measure('POST /api/submissions/:id/submit', api.base, { amount: USERS });
    results.forEach(({ result }) => countCodes(result));
    const baseline = results[0].result;
    const r = (a: number, b: number) => +(a / b).toFixed(2);
    const routes = results.map(({ result, rss }) => ({
      ...result,
      ratio: { p50: r(result.p50, baseline.p50), p95: r(result.p95, baseline.p95), p99: r(result.p99, baseline.p99) },
      apiRssMiB: rss,
    }));
    const fiveXx = routes.reduce((n, x) => n + fiveXxOf(x.statuses), 0) + soak.reduce((n, x) => n + x.fiveXx, 0);
    return {
      run,
      loadAvgBefore,
      users: USERS,
      seconds,
      routes,
      fiveXx,
      fiveXxCodes,
      apiRssMiB: { beforeWarmup, afterWarmup, after: rssMiB(pid) },
      soak,
    };
  } finally {
    for (const server of servers) await stopProcess(server.child, 10_000);
    await stack.stop();
  }
}

/** `runs` runs, each on a fresh stack: one JSON line per run on stdout and a table of each. */
export async function apiRush(
  runs: number,
  seconds: number,
  soakRounds: number,
  log: (m: string) => void,
): Promise<RushFigures[]> {
  const all: RushFigures[] = [];
  for (let run = 1; run <= runs; run++) {
    const f = await oneRun(run, seconds, soakRounds, log);
    process.stdout.write(`${JSON.stringify(f)}\n`);
    console.table(
      f.routes.map((x) => ({
        route: x.route,
        requests: x.requests,
        p50: x.p50,
        p95: x.p95,
        p99: x.p99,
        'ratio p50': x.ratio.p50,
        'ratio p95': x.ratio.p95,
        'ratio p99': x.ratio.p99,
        statuses: JSON.stringify(x.statuses),
        'api RSS MiB': x.apiRssMiB,
      })),
    );
    log(
      `api-rush run ${run}: 5xx ${f.fiveXx}; api RSS ${f.apiRssMiB.beforeWarmup} → ${f.apiRssMiB.afterWarmup} (warm) → ${f.apiRssMiB.after} MiB`,
    );
    all.push(f);
  }
  return all;
}

/**
 * docs/BENCHMARKS.md's generated api-rush section under `header` (the command and machine line of bench/run.ts): per
 * route and run, ours against the bare route, then the raw lines.
 */
export function rushMarkdown(runs: RushFigures[], header: string): string {
  const cell = (x: RushRoute) => `${x.p50} / ${x.p95} / ${x.p99} (×${x.ratio.p50} / ×${x.ratio.p95} / ×${x.ratio.p99})`;
  const routes = runs[0].routes.map((x) => x.route);
  const byRoute = (f: RushFigures, route: string) => f.routes.find((x) => x.route === route)!;
  return [
    header,
    '',
    `${runs[0].users} connections, one signed-in unit user each; timed routes ${runs[0].seconds} s each, the submit once per user (all at once). Latency in ms, p50 / p95 / p99, and in brackets the ratio to the bare \`SELECT 1\` route of the same run.`,
    '',
    `| route | ${runs.map((f) => `run ${f.run}: p50 / p95 / p99 ms (ratio)`).join(' | ')} | ${runs.map((f) => `run ${f.run}: requests, statuses`).join(' | ')} |`,
    `|---|${runs.map(() => '---|').join('')}${runs.map(() => '---|').join('')}`,
    ...routes.map(
      (route) =>
        `| ${route} | ${runs.map((f) => cell(byRoute(f, route))).join(' | ')} | ${runs
          .map((f) => `${byRoute(f, route).requests}, ${JSON.stringify(byRoute(f, route).statuses)}`)
          .join(' | ')} |`,
    ),
    `| 5xx answers (all routes) | ${runs.map((f) => `${f.fiveXx}${codesOf(f)}`).join(' | ')} | ${runs.map(() => '').join(' | ')} |`,
    `| api RSS before warm-up → after warm-up → after, MiB | ${runs
      .map((f) => `${f.apiRssMiB.beforeWarmup} → ${f.apiRssMiB.afterWarmup} → ${f.apiRssMiB.after}`)
      .join(' | ')} | ${runs.map(() => '').join(' | ')} |`,
    ...soakMarkdown(runs),
    '',
    'Raw lines:',
    '',
    '```',
    ...runs.map((f) => JSON.stringify(f)),
    '```',
  ].join('\n');
}

/** The soak rounds' table (none without `--soak-rounds`): does the api's memory level off under the same load? */
function soakMarkdown(runs: RushFigures[]): string[] {
  const rounds = Math.max(0, ...runs.map((f) => f.soak?.length ?? 0));
  if (rounds === 0) return [];
  const at = (f: RushFigures, i: number) => f.soak?.[i];
  return [
    '',
    `Soak: ${rounds} more rounds after the timed routes, each ${runs[0].seconds} s of tasks then ${runs[0].seconds} s of draft saves; the api's RSS after each round.`,
    '',
    `| round | ${runs.map((f) => `run ${f.run}: requests, 5xx, p99 tasks / drafts ms, api RSS MiB`).join(' | ')} |`,
    `|---|${runs.map(() => '---|').join('')}`,
    ...Array.from({ length: rounds }, (_, i) => {
      const cells = runs.map((f) => {
        const r = at(f, i);
        return r ? `${r.requests}, ${r.fiveXx}, ${r.tasksP99} / ${r.draftP99}, ${r.apiRssMiB}` : '—';
      });
      return `| ${i + 1} | ${cells.join(' | ')} |`;
    }),
  ];
}

/** ` (503 WORKFLOW_UNAVAILABLE: 52)` when a run had 5xx answers and knows their codes. */
function codesOf(f: RushFigures): string {
  const codes = Object.entries(f.fiveXxCodes ?? {});
  return codes.length ? ` (${codes.map(([code, n]) => `${code}: ${n}`).join(', ')})` : '';
}

/**
 * One phase of bench/api-rush.ts as a process of its own (the load comes from a second process, not from the event
 * loop of the api it measures): autocannon against one route with every connection signed in as one of the unit
 * users. Reads a `RushPhase` as JSON on stdin, writes one `PhaseResult` JSON line on stdout. Run with the swc hook.
 */
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';

export type RouteName =
  'bare SELECT 1' | 'GET /api/portal/tasks' | 'PUT /api/submissions/:id/draft' | 'POST /api/submissions/:id/submit';

export interface RushUser {
  token: string;
  submissionId: string;
  /** The draft revision this user last saw: sent as If-Match, moved on by each answer's ETag. */
  revision: number;
}

export interface RushPhase {
  route: RouteName;
  base: string;
  users: RushUser[];
  connections: number;
  /** Seconds of load, or else `amount` requests in all (a submit can only happen once per user). */
  durationS?: number;
  amount?: number;
  /** The complete draft the saves write (with the save's number in its first deliverable's text). */
  draft: { deliverables: { key: string; text?: string }[] };
}

export interface PhaseResult {
  route: RouteName;
  requests: number;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** 5xx answers by status and the api's error code (`503 WORKFLOW_UNAVAILABLE`): which overload answered. */
  fiveXxCodes: Record<string, number>;
  /** After a draft phase: each user's revision as the last answer left it (in `users` order), for the next one. */
  revisions?: number[];
}

/** The part of autocannon's request objects and results this uses (the package ships no types). */
interface Request {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
interface Options {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  timeout: number;
  requests: {
    setupRequest(req: Request, context: Record<string, unknown>): Request;
    onResponse?(status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>): void;
  }[];
}
interface Result {
  duration: number;
  errors: number;
  timeouts: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (
  opts: Options,
  done: (error: Error | null, result: Result) => void,
) => EventEmitter;

function percentile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
}

/**
 * The request of each route. Users are handed out from a free list and given back when their answer arrives, so a
 * user never has two requests in flight (a save's If-Match is the revision of that user's previous answer) and
 * every connection speaks as one user at a time.
 */
function requestsOf(phase: RushPhase, note: (status: number, body: string) => void): Options['requests'] {
  const free = [...phase.users];
  let saves = 0;
  const take = (context: Record<string, unknown>) => {
    const user = free.shift();
    if (!user) throw new Error('more requests in flight than users');
    context.user = user;
    return user;
  };
  const giveBack = (context: Record<string, unknown>) => free.push(context.user as RushUser);
  const answered = (status: number, body: string, context: Record<string, unknown>) => {
    note(status, body);
    giveBack(context);
  };
  const auth = (u: RushUser) => ({ authorization: `Bearer ${u.token}` });
  switch (phase.route) {
    case 'bare SELECT 1':
      return [
        {
          setupRequest: (req) => ({ ...req, method: 'GET', path: '/bare' }),
          onResponse: (status, b) => note(status, b),
        },
      ];
    case 'GET /api/portal/tasks':
      return [
        {
          setupRequest: (req, c) => ({ ...req, method: 'GET', path: '/api/portal/tasks', headers: auth(take(c)) }),
          onResponse: (status, b, c) => answered(status, b, c),
        },
      ];
    case 'PUT /api/submissions/:id/draft':
      return [
        {
          setupRequest: (req, c) => {
            const u = take(c);
            const [first, ...rest] = phase.draft.deliverables;
            const body = JSON.stringify({
              deliverables: [{ ...first, text: `${first.text ?? ''} (save ${++saves})` }, ...rest],
            });
            return {
              ...req,
              method: 'PUT',
              path: `/api/submissions/${u.submissionId}/draft`,
              headers: { ...auth(u), 'content-type': 'application/json', 'if-match': `"${u.revision}"` },
              body,
            };
          },
          onResponse: (status, b, c, headers) => {
            // header names as the server wrote them (Express: `ETag`)
            const etag = /^"(\d+)"$/.exec(
              Object.entries(headers).find(([name]) => name.toLowerCase() === 'etag')?.[1] ?? '',
            );
            if (status === 200 && etag) (c.user as RushUser).revision = Number(etag[1]);
            answered(status, b, c);
          },
        },
      ];
    case 'POST /api/submissions/:id/submit':
      return [
        {
          setupRequest: (req, c) => {
            const u = take(c);
            return {
              ...req,
              method: 'POST',
              path: `/api/submissions/${u.submissionId}/submit`,
              headers: { ...auth(u), 'idempotency-key': randomUUID() },
            };
          },
          onResponse: (status, b, c) => answered(status, b, c),
        },
      ];
  }
}

async function runPhase(phase: RushPhase): Promise<PhaseResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const fiveXxCodes: Record<string, number> = {};
  const note = (status: number, body: string) => {
    if (status < 500) return;
    let code = 'no code';
    try {
      code = String((JSON.parse(body) as { code?: unknown }).code ?? code);
    } catch {
      // not JSON: counted under 'no code'
    }
    fiveXxCodes[`${status} ${code}`] = (fiveXxCodes[`${status} ${code}`] ?? 0) + 1;
  };
  const result = await new Promise<Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: phase.base,
        connections: phase.connections,
        ...(phase.amount ? { amount: phase.amount } : { duration: phase.durationS }),
        timeout: 30,
        requests: requestsOf(phase, note),
      },
      (error, r) => (error ? reject(error) : resolve(r)),
    );
    instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
      latencies.push(ms);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
  const sorted = latencies.sort((a, b) => a - b);
  const ms = (v: number) => Math.round(v * 10) / 10;
  return {
    route: phase.route,
    requests: sorted.length,
    seconds: result.duration,
    p50: ms(percentile(sorted, 50)),
    p95: ms(percentile(sorted, 95)),
    p99: ms(percentile(sorted, 99)),
    max: ms(sorted.at(-1) ?? 0),
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    fiveXxCodes,
    ...(phase.route === 'PUT /api/submissions/:id/draft' ? { revisions: phase.users.map((u) => u.revision) } : {}),
  };
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  process.stdout.write(
    `${JSON.stringify(await runPhase(JSON.parse(Buffer.concat(chunks).toString('utf8')) as RushPhase))}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`api-rush-load: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

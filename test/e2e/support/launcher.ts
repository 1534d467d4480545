import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths';
import { eventually } from '../../support/eventually';

export interface Launch {
  child: ChildProcess;
  output: () => string;
  ready: Promise<number>;
  /** Resolves with the launcher's exit code. */
  exited: Promise<number | null>;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { freePort } = require('../../../scripts/lib/embedded-pg') as { freePort(): Promise<number> };

export interface LauncherEnv {
  env: NodeJS.ProcessEnv;
  /** The api's base URL (http://127.0.0.1:<API_PORT>). */
  api: string;
  pgPort: number;
}

/**
 * `npm start`'s environment for a test: its own data directory and free ports, quiet logs, the first office admin,
 * `extra` on top; the launcher's own PostgreSQL and Temporal (the outer DATABASE_URL and TEMPORAL_ADDRESS dropped).
 */
export async function launcherEnv(
  dataDir: string,
  admin: { email: string; password: string },
  extra: NodeJS.ProcessEnv = {},
): Promise<LauncherEnv> {
  const [apiPort, pgPort, temporalPort, uiPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    API_PORT: String(apiPort),
    EMBEDDED_PG_PORT: String(pgPort),
    TEMPORAL_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: admin.email,
    BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    ...extra,
  };
  delete env.DATABASE_URL;
  delete env.TEMPORAL_ADDRESS;
  return { env, api: `http://127.0.0.1:${apiPort}`, pgPort };
}

/** Runs `npm start`'s script exactly as a user would, with its own data directory and ports (in `env`). */
export function launch(env: NodeJS.ProcessEnv): Launch {
  const child = spawn(process.execPath, [join(repoRoot, 'scripts', 'start.js')], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const started = Date.now();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ctrl-C stops everything.')) resolve(Date.now() - started);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`launcher exited early with ${code}:\n${out.slice(-3000)}`)));
  });
  ready.catch(() => undefined); // a launcher that stops later on purpose (crash loop) is not an unhandled rejection
  return { child, output: () => out, ready, exited };
}

/** Every process descended from `pid`, read from /proc (the launcher's children run in their own groups). */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      /* exited meanwhile */
    }
  }
  const found: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parentOf) {
      if (parent !== p) continue;
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Ctrl-C: SIGINT to the launcher; resolves with its exit code. */
export async function stop(l: Launch): Promise<number | null> {
  l.child.kill('SIGINT');
  return l.exited;
}

/** Resolves once the launcher's output (from `from` on) matches `pattern`; the match's groups are returned. */
export async function waitForOutput(
  l: Launch,
  pattern: RegExp,
  from: number,
  timeoutMs: number,
): Promise<RegExpExecArray> {
  const match = await eventually(
    async () => pattern.exec(l.output().slice(from)),
    (m) => m !== null,
    timeoutMs,
  ).catch(() => null);
  if (!match)
    throw new Error(
      `launcher output did not show ${pattern} within ${timeoutMs} ms:\n${l.output().slice(from).slice(-2000)}`,
    );
  return match;
}

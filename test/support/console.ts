import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';

const outDir = join(repoRoot, 'dist', 'console');

/**
 * The built web console (dist/console), as the api serves it. `npm test` builds it before Jest; a direct
 * `npx jest …` builds it here when it is missing or older than apps/console (skipped when up to date). Under flock:
 * two Jest workers must not run Vite into the same folder at once.
 */
export function ensureConsoleBuilt(): string {
  const lock = join(
    tmpdir(),
    `campaigns-console-build-${createHash('sha1').update(repoRoot).digest('hex').slice(0, 8)}.lock`,
  );
  const build = `require(${JSON.stringify(join(repoRoot, 'scripts', 'lib', 'console-build.js'))}).buildConsole()`;
  const r = spawnSync('flock', [lock, process.execPath, '-e', build], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`the console build failed (exit ${r.status})`);
  const index = join(outDir, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} missing after the console build`);
  return outDir;
}

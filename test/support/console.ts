import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { buildConsole, consoleOutDir } = require('../../scripts/lib/console-build');

/**
 * The built web console (dist/console), as the api serves it. `npm test` builds it before Jest; a direct
 * `npx jest …` builds it here when it is missing or older than apps/console (skipped when up to date).
 */
export function ensureConsoleBuilt(): string {
  buildConsole();
  const index = join(consoleOutDir, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} missing after the console build`);
  return consoleOutDir;
}

export const consoleSourceDir = join(repoRoot, 'apps', 'console');

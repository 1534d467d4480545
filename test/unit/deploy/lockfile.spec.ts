import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths';

/**
 * `npm ci` (the only install the bootstrap and the Dockerfile run) refuses a lock file that disagrees with
 * package.json, or that lacks another platform's optional package. These checks fail first, with the names.
 * The fix for either: `npm install --package-lock-only`.
 */
type LockEntry = {
  version?: string;
  optionalDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  allowScripts?: unknown;
};
const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};

describe('package-lock.json', () => {
  it('records exactly the dependencies package.json declares', () => {
    const root = lock.packages[''];
    expect(root.dependencies ?? {}).toEqual(pkg.dependencies ?? {});
    expect(root.devDependencies ?? {}).toEqual(pkg.devDependencies ?? {});
  });

  it("holds every platform's optional packages, so npm ci works on any machine", () => {
    const missing: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        // npm resolves a dependency from the nearest node_modules up the tree.
        const candidates: string[] = [];
        let base = where;
        for (;;) {
          candidates.push(`${base ? `${base}/` : ''}node_modules/${name}`);
          const cut = base.lastIndexOf('/node_modules/');
          if (!base) break;
          base = cut >= 0 ? base.slice(0, cut) : '';
        }
        if (!candidates.some((c) => lock.packages[c])) missing.push(`${name} (for ${where || 'the root'})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('pins vite exactly (a later 8.4 breaks npm ci here)', () => {
    expect(pkg.devDependencies.vite).toBe('8.3.8');
    expect(lock.packages['node_modules/vite'].version).toBe('8.3.8');
  });
});

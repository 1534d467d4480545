import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApiDocumentOffline } from '../../../apps/api/src/openapi';
import { repoRoot } from '../../support/paths';

const schemaFile = join(repoRoot, 'apps', 'console', 'src', 'api', 'schema.d.ts');

/** The generator as `npm run console:api` runs it, in a plain node process (openapi-typescript is partly ESM). */
function generate(document: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
    const r = spawnSync(
      process.execPath,
      [join(repoRoot, 'scripts', 'lib', 'console-api-types.js'), join(dir, 'openapi.json')],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the console’s typed API client (apps/console/src/api/schema.d.ts)', () => {
  it('matches the api’s current OpenAPI document — after changing a controller or DTO run `npm run console:api`', async () => {
    const expected = generate(await openApiDocumentOffline());
    const committed = readFileSync(schemaFile, 'utf8');
    // Compare the first differing line, not 5,000 lines of diff.
    const a = committed.split('\n');
    const b = expected.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    expect({
      firstDifferingLine: at === -1 && a.length === b.length ? null : at + 1,
      committed: a[at],
      current: b[at],
    }).toEqual({ firstDifferingLine: null, committed: undefined, current: undefined });
  });

  it('the offline document is the one the running api serves (same routes, same operations)', async () => {
    const doc = await openApiDocumentOffline();
    expect(Object.keys(doc.paths)).toContain('/api/cycles');
    expect(Object.keys(doc.paths)).toContain('/health');
    expect(doc.paths['/api/auth/logout']?.post).toBeDefined();
  });
});

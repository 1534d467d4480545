import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../support/paths';

/**
 * Issue 12: SQL lives only in repository modules (`*.repository.ts`) and migrations, so a schema change is found by
 * the compiler through typed rows, not by grepping strings. Scans the product code (not tests, benches or the
 * browser app) for SQL statements in any line.
 */
const PRODUCT_DIRS = ['apps/api/src', 'apps/worker/src', 'activities', 'libs', 'workflows'];
const SQL =
  /\b(SELECT\s+[\w*(]|INSERT\s+INTO\b|UPDATE\s+[a-z_]+\s+(?:AS\s+\w+\s+)?SET\b|DELETE\s+FROM\b|ON\s+CONFLICT\b)/;

const isAllowedHome = (file: string) => file.endsWith('.repository.ts') || file.includes('/migrations/');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

describe('SQL placement', () => {
  const files = PRODUCT_DIRS.flatMap((d) => sourceFiles(join(repoRoot, d))).map((f) => relative(repoRoot, f));
  const withSql = files.filter(
    (f) =>
      !isAllowedHome(f) &&
      readFileSync(join(repoRoot, f), 'utf8')
        .split('\n')
        .some((line) => SQL.test(line)),
  );

  it('finds SQL only in repository modules and migrations', () => {
    expect(withSql).toEqual([]);
  });

  it('scans the product code: it sees the statements of the repositories', () => {
    const repositories = files.filter(
      (f) =>
        f.endsWith('.repository.ts') &&
        readFileSync(join(repoRoot, f), 'utf8')
          .split('\n')
          .some((line) => SQL.test(line)),
    );
    expect(repositories).toEqual(
      expect.arrayContaining([
        'apps/api/src/auth/users.repository.ts',
        'apps/api/src/submissions/review-queue.repository.ts',
      ]),
    );
  });

  it('can fail: a statement in a service is found', () => {
    expect(SQL.test('await this.db.query(`SELECT id FROM unit WHERE code = $1`, [code]);')).toBe(true);
    expect(SQL.test("UPDATE cycle_unit SET status = 'paused'")).toBe(true);
    expect(SQL.test('the selected units are updated')).toBe(false);
  });
});

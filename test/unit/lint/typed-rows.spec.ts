import { ESLint } from 'eslint';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { compileProbe } from '../../support/compile-probe';
import { repoRoot } from '../../support/paths';

/**
 * Issue 12: no `any`-typed row in product code, so a schema change is found by the compiler. Three locks:
 * - `Queryable.query` has no `any` default: a statement whose caller names no row type answers `unknown` rows;
 * - eslint.config.js refuses a written `any` (no-explicit-any) and an `any` flowing in from an untyped answer —
 *   TypeORM's `EntityManager.query`, `JSON.parse`, a library callback (no-unsafe-*) — in every product directory;
 * - the product code, parsed here, holds no `any` type outside migrations (`npx eslint .` checks the flows).
 */
const PRODUCT_DIRS = ['apps/api/src', 'apps/worker/src', 'activities', 'libs', 'workflows'];
const UNSAFE_ANY = /^@typescript-eslint\/no-(explicit-any|unsafe-\w+)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'migrations' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.spec.ts') ? [path] : [];
  });
}

/** `file:line` of every `any` keyword in a type position of the text (comments and strings are not types). */
function anyTypes(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword)
      found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('typed rows', () => {
  // The config array is passed in (not looked up): ESLint's own loader uses dynamic import, which Jest's VM lacks.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const config: ESLint.Options['baseConfig'] = require(join(repoRoot, 'eslint.config.js'));
  const eslint = new ESLint({ cwd: repoRoot, overrideConfigFile: true, baseConfig: config });
  const findings = async (dir: string, code: string) =>
    (await eslint.lintText(code, { filePath: join(repoRoot, dir, 'lint-probe.ts') }))[0].messages
      .filter((m) => UNSAFE_ANY.test(m.ruleId ?? ''))
      .map((m) => `${m.line} ${m.ruleId!.replace('@typescript-eslint/', '')}`);

  it('can fail: an any row written in a service, or read untyped from TypeORM in an activity, is refused', async () => {
    const service = [
      "import type { EntityManager } from 'typeorm';",
      'export function codes(rows: any[]): string[] {',
      '  return rows.map((r: { code: string }) => r.code);',
      '}',
      'export async function firstCode(m: EntityManager): Promise<string> {',
      "  const [row] = await m.query('SELECT code FROM unit');",
      '  return row.code;',
      '}',
    ].join('\n');
    expect(await findings('apps/api/src', service)).toEqual([
      '2 no-explicit-any',
      '6 no-unsafe-assignment',
      '7 no-unsafe-return',
    ]);
    const activity = [
      "import type { EntityManager } from 'typeorm';",
      'export async function count(m: EntityManager): Promise<number> {',
      "  return (await m.query('SELECT 1')).length;",
      '}',
    ].join('\n');
    expect(await findings('activities', activity)).toEqual(['3 no-unsafe-return']);
  });

  it('passes rows typed through Queryable', async () => {
    const code = [
      "import type { Queryable } from '../libs/persistence/src/queryable';",
      'export async function firstCode(db: Queryable): Promise<string | undefined> {',
      "  const [row] = await db.query<{ code: string }>('SELECT code FROM unit');",
      '  return row?.code;',
      '}',
    ].join('\n');
    expect(await findings('activities', code)).toEqual([]);
  });

  it('an untyped Queryable call answers unknown rows: using one does not compile', () => {
    const probe = 'apps/api/src/lint-probe.ts';
    const code = [
      "import type { Queryable } from '../../../libs/persistence/src/queryable';",
      'export async function firstCode(db: Queryable): Promise<string> {',
      "  const [row] = await db.query('SELECT code FROM unit');",
      '  return row.code;',
      '}',
    ].join('\n');
    expect(
      compileProbe('tsconfig.json', [probe], { [probe]: code }, []).map((e) => `${e.file}:${e.line} TS${e.code}`),
    ).toEqual([`${probe}:4 TS18046`]);
  });

  it('the rules hold in every product directory, not in migrations', async () => {
    const severity = async (file: string) => {
      const rule = ((await eslint.calculateConfigForFile(join(repoRoot, file))) as { rules: Record<string, unknown> })
        .rules['@typescript-eslint/no-explicit-any'];
      return Array.isArray(rule) ? rule[0] : rule;
    };
    for (const dir of PRODUCT_DIRS) expect([dir, await severity(`${dir}/x.ts`)]).toEqual([dir, 2]);
    expect(await severity('libs/persistence/src/migrations/x.ts')).toBe(0);
  });

  it('finds an any type in source text, and none in the product code outside migrations', () => {
    expect(anyTypes('probe.ts', '// any unit\nconst label = "any";\nlet row: any;\nconst rows = [] as any[];')).toEqual(
      ['probe.ts:3', 'probe.ts:4'],
    );
    const files = PRODUCT_DIRS.flatMap((d) => sourceFiles(join(repoRoot, d)));
    expect(files.length).toBeGreaterThan(100);
    expect(files.flatMap((f) => anyTypes(relative(repoRoot, f), readFileSync(f, 'utf8')))).toEqual([]);
  });
});

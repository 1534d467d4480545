import { ESLint } from 'eslint';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths';

/** Workflow files may import only @temporalio/workflow, pure domain code and activity types (eslint.config.js). */
describe('workflow import rule', () => {
  // The config array is passed in (not looked up): ESLint's own loader uses dynamic import, which Jest's VM lacks.
  const eslint = new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    baseConfig: require(join(repoRoot, 'eslint.config.js')),
  });
  const probe = (code: string) => eslint.lintText(code, { filePath: join(repoRoot, 'workflows', 'lint-probe.ts') });
  const messages = async (code: string) =>
    (await probe(code))[0].messages.filter((m) => m.ruleId?.includes('no-restricted-imports'));

  it('rejects Nest, TypeORM, Node built-ins and activity implementations in workflow code', async () => {
    const found = await messages(
      [
        "import { Injectable } from '@nestjs/common';",
        "import { DataSource } from 'typeorm';",
        "import { readFileSync } from 'node:fs';",
        "import { randomUUID } from 'crypto';",
        "import { DiagnosticsActivities } from '../activities/diagnostics/diagnostics.activities';",
        'export const used = [Injectable, DataSource, readFileSync, randomUUID, DiagnosticsActivities];',
      ].join('\n'),
    );
    expect(found.map((m) => m.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('allows @temporalio/workflow, domain code and `import type` of activities', async () => {
    const found = await messages(
      [
        "import { sleep } from '@temporalio/workflow';",
        "import type { DiagnosticsActivities } from '../activities/diagnostics/diagnostics.activities';",
        "import { DAY_MS } from '../libs/domain/src/plan/unit-plan';",
        'export const used: [typeof sleep, DiagnosticsActivities | undefined, number] = [sleep, undefined, DAY_MS];',
      ].join('\n'),
    );
    expect(found).toEqual([]);
  });

  it('refuses a floating promise in workflow and activity code (type-aware lint)', async () => {
    const code = [
      "import { sleep } from '@temporalio/workflow';",
      'export async function probe(): Promise<void> {',
      "  sleep('1 second');",
      '}',
    ].join('\n');
    for (const dir of ['workflows', 'activities']) {
      const [result] = await eslint.lintText(code, { filePath: join(repoRoot, dir, 'lint-probe.ts') });
      expect(
        result.messages.filter((m) => m.ruleId === '@typescript-eslint/no-floating-promises').map((m) => m.line),
      ).toEqual([3]);
    }
  });

  it('holds for every file in workflows/', async () => {
    // Files listed by hand: ESLint's glob search also needs dynamic import.
    const files = readdirSync(join(repoRoot, 'workflows'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(repoRoot, 'workflows', f));
    const results = (
      await Promise.all(files.map((f) => eslint.lintText(readFileSync(f, 'utf8'), { filePath: f })))
    ).flat();
    const problems = results.flatMap((r) =>
      r.messages.filter((m) => m.severity === 2).map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(results.length).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { failingTests, resultArgs } = require('../../../scripts/lib/jest-results') as {
  resultArgs(file: string): string[];
  failingTests(file: string, root: string): string[];
};

/**
 * The results files of `npm test`'s two Jest runs: written by a real Jest (a tiny project of its own in a temporary
 * folder, so the project's global setup does not start), into a folder that does not exist yet, as in a fresh
 * clone — where `--outputFile` alone made Jest fail the run after every test had passed.
 */
describe('npm test: Jest results files', () => {
  const jest = require.resolve('jest/bin/jest');
  const project = () => {
    const dir = mkdtempSync(join(tmpdir(), 'jest-results-'));
    writeFileSync(
      join(dir, 'some.test.js'),
      "it('passes', () => {}); it('fails', () => { expect(1).toBe(2); });\ndescribe('group', () => it('ok', () => {}));\n",
    );
    writeFileSync(join(dir, 'broken.test.js'), "require('./missing-module');\n");
    return dir;
  };
  const runJest = (dir: string, args: string[]) =>
    spawnSync(process.execPath, [jest, '--rootDir', dir, '--config', '{"testEnvironment":"node"}', ...args], {
      cwd: dir,
      encoding: 'utf8',
    });

  it('makes the folder, so Jest writes the file and fails only for the failing tests', () => {
    const dir = project();
    const file = join(dir, 'test-artifacts', 'jest-first.json');
    const passing = runJest(dir, ['some.test.js', '-t', 'passes', ...resultArgs(file)]);
    expect(passing.stderr).not.toContain('ENOENT');
    expect(passing.status).toBe(0);
    expect(existsSync(file)).toBe(true);
  });

  it('names each failing test and each suite that did not run, and says so when there are no results', () => {
    const dir = project();
    const file = join(dir, 'out', 'jest-real-time.json');
    expect(runJest(dir, resultArgs(file)).status).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8')).numFailedTests).toBe(1);
    expect(failingTests(file, dir).sort()).toEqual([
      "FAILED broken.test.js (did not run: Cannot find module './missing-module' from 'broken.test.js')",
      'FAILED some.test.js › fails',
    ]);
    expect(failingTests(join(dir, 'none.json'), dir)).toEqual(['jest wrote no results to none.json']);
  });

  it('removes a results file left by an earlier run before Jest runs', () => {
    const dir = project();
    const file = join(dir, 'jest-first.json');
    writeFileSync(file, '{"testResults":[]}');
    resultArgs(file);
    expect(existsSync(file)).toBe(false);
  });
});

'use strict';
// `npm test`: the same bootstrap as `npm start` (npm dependencies, Temporal CLI and time-skipping test server
// from PyPI into ./.tools), a type check (api and console), ESLint, Prettier's check, the console build (dist/console, for the browser
// tests; skipped when unchanged), then Jest. Extra arguments go to Jest: `npm test -- test/unit`.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { root } = require('./lib/paths');
const log = require('./lib/log');
const { ensureNpmDependencies, ensureTemporalTools } = require('./lib/bootstrap');
const { buildConsole, typeCheckConsole } = require('./lib/console-build');
const { failingTests, resultArgs } = require('./lib/jest-results');

function main() {
  ensureNpmDependencies();
  ensureTemporalTools();

  log.info('type-checking (tsc --noEmit)…');
  const tsc = spawnSync(
    process.execPath,
    [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json', '--noEmit'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (tsc.status !== 0) {
    log.error('type check failed');
    process.exit(tsc.status ?? 1);
  }

  if (!typeCheckConsole()) {
    log.error('type check of the console failed');
    process.exit(1);
  }

  log.info('linting (eslint)…');
  const eslint = spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (eslint.status !== 0) {
    log.error('lint failed');
    process.exit(eslint.status ?? 1);
  }

  // Formatting is checked, not fixed: a test run must not rewrite the tree. `npm run format` fixes it.
  log.info('checking formatting (prettier --check)…');
  const prettier = spawnSync(
    process.execPath,
    [
      require.resolve('prettier/bin/prettier.cjs', { paths: [root] }),
      '--check',
      '--log-level',
      'warn',
      '**/*.{ts,tsx,js,cjs,mjs,css}',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (prettier.status !== 0) {
    log.error("formatting differs from Prettier's (run `npm run format`)");
    process.exit(prettier.status ?? 1);
  }

  buildConsole();

  const jest = require.resolve('jest/bin/jest', { paths: [root] });
  const runJest = (args) =>
    spawnSync(process.execPath, [jest, ...(process.env.CI ? ['--ci'] : []), ...args], { cwd: root, stdio: 'inherit' })
      .status ?? 1;
  const args = process.argv.slice(2);
  if (args.length) process.exit(runJest(args));

  // Suites that measure time or run whole stacks in real time (load limits, kill -9 recovery, deadlines passing in
  // a browser) run one at a time after the rest: beside another Jest worker on two cores they would measure the
  // neighbour, not the service.
  const serial = ['test/browser/', 'test/e2e/', 'test/integration/reliability/'];
  // Each run also writes its results as JSON, so the failing tests of both can be named again at the very end.
  const results = (name) => path.join(root, 'test-artifacts', `jest-${name}.json`);
  const report = (name) => resultArgs(results(name));
  log.info('jest: every suite but the real-time ones, two workers…');
  const first = runJest(['--testPathIgnorePatterns', ...serial.map((p) => `<rootDir>/${p}`), ...report('first')]);
  log.info(`jest: the real-time suites (${serial.join(', ')}), one at a time…`);
  const second = runJest(['--runInBand', ...serial, ...report('real-time')]);
  for (const name of ['first', 'real-time']) for (const line of failingTests(results(name), root)) log.error(line);
  if (first !== 0)
    log.error('jest: the first run (all but the real-time suites) failed; its summary is above the second');
  process.exit(first || second);
}

main();

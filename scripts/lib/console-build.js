'use strict';
// Builds the web console (apps/console, Vite) into dist/console — skipped when nothing under apps/console (nor the
// lock file) changed since the last build, so `npm start` / `npm test` stay fast on a second run.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, distDir } = require('./paths');
const log = require('./log');

const consoleDir = path.join(root, 'apps', 'console');
const outDir = path.join(distDir, 'console');
const stamp = path.join(outDir, '.built');

function newestSource() {
  const files = fs
    .readdirSync(consoleDir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name));
  files.push(path.join(root, 'package-lock.json'));
  return Math.max(...files.map((f) => fs.statSync(f).mtimeMs));
}

function buildConsole({ force = false } = {}) {
  if (!force && fs.existsSync(stamp) && fs.statSync(stamp).mtimeMs >= newestSource()) return false;
  log.info('building the web console (vite build → dist/console)…');
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--config', path.join(consoleDir, 'vite.config.mts'), '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
      // Always a production build (React without dev warnings, minified): Jest runs with NODE_ENV=test, which Vite
      // would otherwise take for a development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (r.status !== 0) throw new Error('the console build (vite) failed');
  fs.writeFileSync(stamp, new Date().toISOString());
  return true;
}

/** `tsc --noEmit` over the console's own tsconfig (DOM, JSX); the root tsconfig leaves apps/console out. */
function typeCheckConsole() {
  const tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
  return (
    spawnSync(process.execPath, [tsc, '-p', path.join(consoleDir, 'tsconfig.json'), '--noEmit'], {
      cwd: root,
      stdio: 'inherit',
    }).status === 0
  );
}

module.exports = { buildConsole, typeCheckConsole, consoleOutDir: outDir };

'use strict';
// `npm run build`: tsc (incremental) into dist/, the workflow bundle dist/workflow-bundle.js, and the web console
// (Vite) into dist/console when apps/console changed.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, distDir } = require('./lib/paths');
const log = require('./lib/log');
const { buildConsole } = require('./lib/console-build');

async function main() {
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('TypeScript compilation failed');
  buildConsole();

  const bundlePath = path.join(distDir, 'workflow-bundle.js');
  const sources = listFiles(path.join(distDir, 'workflows')).concat(listFiles(path.join(distDir, 'libs', 'domain')));
  const newest = Math.max(0, ...sources.map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(bundlePath) && fs.statSync(bundlePath).mtimeMs >= newest) return;

  const { bundleWorkflowCode } = require('@temporalio/worker');
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(distDir, 'workflows', 'index.js'),
    logger: { info() {}, debug() {}, trace() {}, log() {}, warn: (m) => log.info(m), error: (m) => log.error(m) },
  });
  fs.writeFileSync(bundlePath, code);
  log.info(`workflow bundle written (${Math.round(code.length / 1024)} KiB)`);
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath ?? d.path, d.name));
}

main().catch((error) => {
  log.error(error.message);
  process.exit(1);
});

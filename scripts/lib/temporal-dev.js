'use strict';
// `temporal server start-dev` with SQLite persistence (WAL) under the data directory, plus its Web UI.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { temporalBin } = require('./paths');

/** Search attributes the app sets on workflows so admins can filter by cycle and unit in the Web UI. */
const SEARCH_ATTRIBUTES = ['CampaignCycleId=Keyword', 'UnitCode=Keyword', 'UnitKind=Keyword'];

/**
 * Dynamic config that differs from what `start-dev` sets. The dev server forces its search-attribute cache to be
 * re-read from persistence on every read (so an attribute added while it runs is seen at once); ours are registered
 * by the flags above before it serves, and with the forced refresh every start that carries them cost a
 * GetCurrentClusterMetadata on the one SQLite (4.9 s of persistence time per 1,000 unit starts, 98 s per 10,000, in
 * docs/BENCHMARKS.md's profiles). A cluster's default is `false` too.
 */
const DYNAMIC_CONFIG = ['system.forceSearchAttributesCacheRefreshOnRead=false'];

function startTemporalDevServer({ dataDir, port, uiPort, headless = false, onOutput = () => {} }) {
  const dir = path.join(dataDir, 'temporal');
  fs.mkdirSync(dir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--db-filename',
    path.join(dir, 'temporal.db'),
    '--sqlite-pragma',
    'journal_mode=wal',
    '--sqlite-pragma',
    'synchronous=normal',
    '--log-level',
    'warn',
    ...SEARCH_ATTRIBUTES.flatMap((sa) => ['--search-attribute', sa]),
    ...DYNAMIC_CONFIG.flatMap((value) => ['--dynamic-config-value', value]),
    ...(headless ? ['--headless'] : ['--ui-port', String(uiPort), '--ui-disable-news-fetch']),
  ];
  const child = spawn(temporalBin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  return child;
}

/** Resolves once something accepts TCP connections on host:port, or rejects after `timeoutMs`. */
function waitForPort(port, { host = '127.0.0.1', timeoutMs = 60_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      if (child && child.exitCode !== null)
        return reject(new Error(`process exited with ${child.exitCode} before opening port ${port}`));
      const socket = net.connect({ host, port });
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`));
        else setTimeout(attempt, 200);
      });
    };
    attempt();
  });
}

module.exports = { startTemporalDevServer, waitForPort, SEARCH_ATTRIBUTES, DYNAMIC_CONFIG };

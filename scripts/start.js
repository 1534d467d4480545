'use strict';
// `npm start`: installs what is missing, starts embedded PostgreSQL and the Temporal dev server (unless
// DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), migrates, then runs the worker and the api.
// Ctrl-C stops everything it started, in reverse order; data stays under DATA_DIR (.data) for the next start.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { root, dataDir, distDir } = require('./lib/paths');
const log = require('./lib/log');
const { ensureNpmDependencies, ensureTemporalTools, build } = require('./lib/bootstrap');

const children = []; // started in order; stopped in reverse
let shuttingDown = false;

function track(name, child) {
  children.push({ name, child });
  child.on('exit', (code, signal) => {
    if (!shuttingDown) {
      log.error(`${name} exited unexpectedly (${signal ?? `code ${code}`}); stopping everything`);
      shutdown(1);
    }
  });
  return child;
}

function pipeLines(stream, out) {
  readline.createInterface({ input: stream }).on('line', (line) => out.write(`${line}\n`));
}

function startNode(name, script, env) {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(distDir, script)], {
    cwd: root,
    env,
    detached: true, // own process group: Ctrl-C reaches the launcher only, which stops children in order
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipeLines(child.stdout, process.stdout);
  pipeLines(child.stderr, process.stderr);
  return track(name, child);
}

function startPostgres(port) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'lib', 'pg-runner.js'), path.join(dataDir, 'pg'), String(port)], {
      cwd: root,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('READY ')) {
        track('postgres', child);
        resolve(line.slice('READY '.length));
      }
    });
    child.on('exit', (code) => reject(new Error(`embedded PostgreSQL failed (code ${code}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`)));
  });
}

function waitForExit(child, ms) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info('stopping…');
  for (const { name, child } of [...children].reverse()) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {}
    }
    await waitForExit(child, name === 'worker' ? 40_000 : 15_000);
    log.info(`${name} stopped`);
  }
  process.exit(code);
}

async function waitForHealth(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`;
    } catch (error) {
      last = error.message;
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms (${last})`);
}

/**
 * Local development needs no secrets typed in: a JWT signing secret (so tokens survive restarts) and a first office
 * admin are generated once and kept in DATA_DIR/local-secrets.json (git-ignored). Set JWT_SECRET or
 * BOOTSTRAP_ADMIN_EMAIL/BOOTSTRAP_ADMIN_PASSWORD to use your own; the admin is only created while none exists.
 */
function ensureLocalSecrets(env) {
  const crypto = require('node:crypto');
  const fs = require('node:fs');
  const file = path.join(dataDir, 'local-secrets.json');
  fs.mkdirSync(dataDir, { recursive: true });
  let secrets = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
  if (!secrets) {
    secrets = {
      jwtSecret: crypto.randomBytes(48).toString('base64url'),
      adminEmail: 'admin@campaigns.local',
      adminPassword: crypto.randomBytes(12).toString('base64url'),
    };
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  if (!env.JWT_SECRET) env.JWT_SECRET = secrets.jwtSecret;
  if (env.BOOTSTRAP_ADMIN_EMAIL || env.BOOTSTRAP_ADMIN_PASSWORD) return null;
  env.BOOTSTRAP_ADMIN_EMAIL = secrets.adminEmail;
  env.BOOTSTRAP_ADMIN_PASSWORD = secrets.adminPassword;
  return { email: secrets.adminEmail, password: secrets.adminPassword, file };
}

async function main() {
  const started = Date.now();
  process.on('SIGINT', () => shutdown(0));
  process.on('SIGTERM', () => shutdown(0));

  ensureNpmDependencies();
  ensureTemporalTools();
  build();

  const env = { ...process.env };
  const { startTemporalDevServer, waitForPort } = require('./lib/temporal-dev');

  // Validate the apps' own variables first (except the two the launcher may provide), with the apps' schema.
  const { validateEnv, ConfigurationError } = require(path.join(distDir, 'libs', 'config', 'src', 'env.schema.js'));
  try {
    validateEnv({ DATABASE_URL: 'postgresql://placeholder', TEMPORAL_ADDRESS: 'placeholder:1', ...env });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    for (const line of error.problems) log.error(`configuration: ${line}`);
    process.exit(78);
  }

  const firstAdmin = ensureLocalSecrets(env);

  const pgPort = Number(env.EMBEDDED_PG_PORT || 54329);
  if (!env.DATABASE_URL) {
    log.info(`starting embedded PostgreSQL on 127.0.0.1:${pgPort} (data: ${path.relative(root, path.join(dataDir, 'pg'))})`);
    env.DATABASE_URL = await startPostgres(pgPort);
  }

  let temporalUi;
  if (!env.TEMPORAL_ADDRESS) {
    const port = Number(env.TEMPORAL_PORT || 7233);
    const uiPort = Number(env.TEMPORAL_UI_PORT || 8233);
    log.info(`starting Temporal dev server on 127.0.0.1:${port} (SQLite: ${path.relative(root, path.join(dataDir, 'temporal'))})`);
    const temporal = track('temporal', startTemporalDevServer({ dataDir, port, uiPort, onOutput: (d) => process.stderr.write(d) }));
    await waitForPort(port, { child: temporal });
    env.TEMPORAL_ADDRESS = `127.0.0.1:${port}`;
    temporalUi = `http://127.0.0.1:${uiPort}`;
    // The inspection timeline links into the UI that is actually running, wherever TEMPORAL_UI_PORT moved it.
    if (!env.TEMPORAL_UI_URL) env.TEMPORAL_UI_URL = temporalUi;
  }

  const { runMigrations } = require(path.join(distDir, 'libs', 'persistence', 'src', 'migrate.js'));
  const applied = await runMigrations(env.DATABASE_URL);
  log.info(applied.length ? `migrations applied: ${applied.join(', ')}` : 'database schema is up to date');

  startNode('worker', 'apps/worker/src/main.js', env);
  startNode('api', 'apps/api/src/main.js', env);

  const apiBase = `http://${env.API_HOST || '127.0.0.1'}:${env.API_PORT || 3000}`;
  await waitForHealth(`${apiBase}/health`, 90_000);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log.info(`ready in ${seconds} s`);
  log.info(`  Console      ${apiBase}/`);
  log.info(`  API          ${apiBase}/api`);
  log.info(`  OpenAPI docs ${apiBase}/docs`);
  log.info(`  Health       ${apiBase}/health`);
  if (temporalUi) log.info(`  Temporal UI  ${temporalUi}`);
  if (firstAdmin) log.info(`  Sign in      ${firstAdmin.email} / ${firstAdmin.password}  (the console, or POST /api/auth/login; kept in ${path.relative(root, firstAdmin.file)})`);
  log.info('Ctrl-C stops everything.');
}

main().catch((error) => {
  log.error(error.message);
  shutdown(1);
});

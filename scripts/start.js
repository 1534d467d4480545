'use strict';
// `npm start`: installs what is missing, starts embedded PostgreSQL and the Temporal dev server (unless
// DATABASE_URL / TEMPORAL_ADDRESS point elsewhere), migrates, then runs the worker and the api.
// Every process it started is supervised (scripts/lib/supervisor.js): one that crashes is started again with
// backoff, on the same data and ports, while the others keep running; a crash loop (5 exits of one process within
// 60 s) or Ctrl-C stops everything, in reverse order. Data stays under DATA_DIR (.data) for the next start.
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { root, dataDir, distDir } = require('./lib/paths');
const log = require('./lib/log');
const { ensureNpmDependencies, ensureTemporalTools, build } = require('./lib/bootstrap');
const { Supervisor } = require('./lib/supervisor');

let shuttingDown = false;
const supervisor = new Supervisor({
  log,
  onGiveUp: (why) => {
    log.error(why);
    shutdown(1);
  },
});

function pipeLines(stream, out) {
  readline.createInterface({ input: stream }).on('line', (line) => out.write(`${line}\n`));
}

function spawnNode(script, env) {
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(distDir, script)], {
    cwd: root,
    env,
    detached: true, // own process group: Ctrl-C reaches the launcher only, which stops children in order
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  pipeLines(child.stdout, process.stdout);
  pipeLines(child.stderr, process.stderr);
  return child;
}

function startNode(name, script, env) {
  supervisor.add(name, spawnNode(script, env), () => spawnNode(script, env));
}

/** pg-runner.js: PostgreSQL on `port` with its data in DATA_DIR/pg; it prints READY <url> and exits if the server does. */
function spawnPostgres(port) {
  const child = spawn(
    process.execPath,
    [path.join(__dirname, 'lib', 'pg-runner.js'), path.join(dataDir, 'pg'), String(port)],
    {
      cwd: root,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  child.stderr.on('data', (d) => (child.stderrTail = `${child.stderrTail ?? ''}${d}`.slice(-4000)));
  return child;
}

function startPostgres(port) {
  return new Promise((resolve, reject) => {
    const child = spawnPostgres(port);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      // Restarted on the same data directory and port: the url (and its stored credentials) stays the same.
      supervisor.add('postgres', child, () => {
        const next = spawnPostgres(port);
        readline
          .createInterface({ input: next.stdout })
          .on('line', (l) => l.startsWith('READY ') && log.info('postgres is accepting connections again'));
        next.once(
          'exit',
          (code) => code && log.error(`postgres: ${(next.stderrTail ?? '').trim().split('\n').slice(-3).join(' | ')}`),
        );
        return next;
      });
      resolve(line.slice('READY '.length));
    });
    child.once('exit', (code) =>
      reject(
        new Error(
          `embedded PostgreSQL failed (code ${code}): ${(child.stderrTail ?? '').trim().split('\n').slice(-3).join(' | ')}`,
        ),
      ),
    );
  });
}

async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  log.info('stopping…');
  await supervisor.stopAll((name) => (name === 'worker' ? 40_000 : 15_000));
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
    log.info(
      `starting embedded PostgreSQL on 127.0.0.1:${pgPort} (data: ${path.relative(root, path.join(dataDir, 'pg'))})`,
    );
    env.DATABASE_URL = await startPostgres(pgPort);
  }

  let temporalUi;
  if (!env.TEMPORAL_ADDRESS) {
    const port = Number(env.TEMPORAL_PORT || 7233);
    const uiPort = Number(env.TEMPORAL_UI_PORT || 8233);
    log.info(
      `starting Temporal dev server on 127.0.0.1:${port} (SQLite: ${path.relative(root, path.join(dataDir, 'temporal'))})`,
    );
    // Restarted on the same SQLite file and port: workflows, timers and task queues carry on where they were.
    const startTemporal = () =>
      startTemporalDevServer({ dataDir, port, uiPort, onOutput: (d) => process.stderr.write(d) });
    const temporal = startTemporal();
    await waitForPort(port, { child: temporal });
    supervisor.add('temporal', temporal, startTemporal);
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
  if (firstAdmin)
    log.info(
      `  Sign in      ${firstAdmin.email} / ${firstAdmin.password}  (the console, or POST /api/auth/login; kept in ${path.relative(root, firstAdmin.file)})`,
    );
  log.info('A crashed process is restarted (a crash loop stops everything). Ctrl-C stops everything.');
}

main().catch((error) => {
  log.error(error.message);
  shutdown(1);
});

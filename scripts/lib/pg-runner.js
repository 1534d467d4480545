'use strict';
// Runs embedded PostgreSQL in its own process group, so a terminal's Ctrl-C reaches only the launcher,
// which then stops the api and worker before the database. Stops on SIGTERM or when the launcher's pipe closes, and
// exits (code 1) when the server itself ends unexpectedly, so the launcher's supervisor starts it again.
const { startEmbeddedPostgres } = require('./embedded-pg');

const [dir, port] = process.argv.slice(2);
let server;
let stopping = false;

async function stop() {
  if (stopping) return;
  stopping = true;
  try {
    await server?.stop();
  } finally {
    process.exit(0);
  }
}

process.on('SIGINT', () => {}); // the launcher decides when the database stops
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();

startEmbeddedPostgres({ dir, port: Number(port), onLog: (m) => process.stderr.write(String(m)) })
  .then((s) => {
    server = s;
    process.stdout.write(`READY ${s.url}\n`);
    s.exited.then((reason) => {
      if (stopping) return;
      process.stderr.write(`postgres exited unexpectedly (${reason})\n`);
      process.exit(1);
    });
  })
  .catch((error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });

'use strict';
// `npm run migrate` / the compose `migrate` job: applies pending migrations to DATABASE_URL (needs `npm run build`).
const path = require('node:path');
const { distDir } = require('./lib/paths');

if (!process.env.DATABASE_URL) {
  process.stderr.write('migrate: DATABASE_URL is required\n');
  process.exit(78);
}
require(path.join(distDir, 'libs', 'persistence', 'src', 'migrate.js'))
  .runMigrations(process.env.DATABASE_URL)
  .then((applied) => {
    process.stdout.write(
      applied.length ? `migrations applied: ${applied.join(', ')}\n` : 'database schema is up to date\n',
    );
  })
  .catch((error) => {
    process.stderr.write(`migrate: ${error.message}\n`);
    process.exit(1);
  });

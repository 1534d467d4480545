'use strict';
// `npm run bench [-- --units N --runs R --write-docs]`: runs bench/run.ts from the TypeScript sources (the same swc
// transform Jest uses), after `npm test` or `npm start` has installed .tools/bin/temporal.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
if (!fs.existsSync(path.join(root, '.tools', 'bin', 'temporal'))) {
  console.error(
    'bench: .tools/bin/temporal is missing; run `npm test` or `npm start` once first (it installs the Temporal CLI)',
  );
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  [
    '--max-old-space-size=4096',
    '-r',
    path.join(root, 'test/integration/notifications/support/swc-register.js'),
    path.join(root, 'bench/run.ts'),
    ...process.argv.slice(2),
  ],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TEST_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' } },
);
process.exit(result.status ?? 1);

'use strict';
// `npm run docs:config`: regenerates the configuration table in README.md from the schema (after `npm run build`).
const fs = require('node:fs');
const path = require('node:path');
const { root, distDir } = require('./lib/paths');

const { withConfigurationTable } = require(path.join(distDir, 'libs', 'config', 'src', 'config-table.js'));
const readme = path.join(root, 'README.md');
fs.writeFileSync(readme, withConfigurationTable(fs.readFileSync(readme, 'utf8')));
process.stdout.write('README.md configuration table updated\n');

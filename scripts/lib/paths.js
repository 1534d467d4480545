'use strict';
// Where the launcher keeps things. Plain CommonJS with no dependencies: it runs before `npm install`.
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const dataDir = path.resolve(root, process.env.DATA_DIR || '.data');
const toolsDir = path.join(root, '.tools');

module.exports = {
  root,
  dataDir,
  toolsDir,
  temporalBin: path.join(toolsDir, 'bin', 'temporal'),
  temporalTestServerBin: path.join(toolsDir, 'bin', 'temporal-test-server'),
  distDir: path.join(root, 'dist'),
};

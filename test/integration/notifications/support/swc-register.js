'use strict';
// Lets a child `node` process run the TypeScript sources directly (the same @swc/core transform jest uses), so the
// exactly-once test runs a real worker process without a build step.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');
const swcOptions = require('../../../../swc.options');

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), { ...swcOptions, filename });
  module._compile(code, filename);
};

'use strict';
// One prefix per line so the launcher's own messages stand out among the children's JSON logs.
const prefix = '[launcher]';
module.exports = {
  info: (msg) => process.stdout.write(`${prefix} ${msg}\n`),
  error: (msg) => process.stderr.write(`${prefix} ERROR ${msg}\n`),
};

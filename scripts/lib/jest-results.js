'use strict';
// Jest's --json results of `npm test`'s runs, so the failing tests of both can be named again at the very end of
// the log, where a log cut to its tail (CI's) still shows them.
const fs = require('node:fs');
const path = require('node:path');
const { stripVTControlCharacters } = require('node:util');

/**
 * Jest arguments that write a run's results to `file`. Its folder is made first (Jest does not make it, and a
 * fresh clone has no test-artifacts/ yet: Jest then fails the run after every test passed), and a stale file from an
 * earlier run is removed so it cannot be read as this run's.
 */
function resultArgs(file) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  return ['--json', '--outputFile', file];
}

/** `FAILED <file> › <test>` for each failing test (or suite that failed to run) in a results file; paths from `root`. */
function failingTests(file, root) {
  let results;
  try {
    results = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return [`jest wrote no results to ${path.relative(root, file)}`];
  }
  return results.testResults.flatMap((suite) => {
    const where = path.relative(root, suite.name);
    const failed = suite.assertionResults.filter((a) => a.status === 'failed');
    if (failed.length) return failed.map((a) => `FAILED ${where} › ${a.fullName}`);
    return suite.status === 'failed' ? [`FAILED ${where} (did not run: ${firstLine(suite.message)})`] : [];
  });
}

/** The first line of Jest's message that says more than its heading. */
function firstLine(text) {
  const lines = stripVTControlCharacters(String(text ?? ''))
    .split('\n')
    .map((l) => l.trim());
  return lines.find((l) => l && !l.includes('Test suite failed to run')) ?? '';
}

module.exports = { resultArgs, failingTests };

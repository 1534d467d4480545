import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { itemStepKey, parseItemStepKey, UNIT_EVENT_KINDS } from '../../../libs/domain/src/campaign';
import { repoRoot } from '../../support/paths';

/**
 * The unit workflow's contract (libs/domain/src/campaign): readers switch exhaustively over its event kinds and step
 * statuses, so the compiler rejects one that misses a case. Proven here by compiling the real readers with the
 * TypeScript API — as they are (no error), and with one case cut out (the error names the missing case).
 */
const options = (() => {
  const config = ts.readConfigFile(join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
  return {
    ...ts.parseJsonConfigFileContent(config.config, ts.sys, repoRoot).options,
    noEmit: true,
    incremental: false,
  };
})();

/** Type errors of `file` when its text is `text` (everything it imports is read from the tree). */
function typeErrors(file: string, text: string): string[] {
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) =>
    resolve(name) === file ? ts.createSourceFile(name, text, language) : getSourceFile(name, language, ...rest);
  const program = ts.createProgram([file], options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.file && resolve(d.file.fileName) === file)
    .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

/** `source` without the `case` line that matches and the `body` lines after it. */
function withoutCase(source: string, caseLine: RegExp, body = 1): string {
  const lines = source.split('\n');
  const at = lines.findIndex((l) => caseLine.test(l));
  expect(at).toBeGreaterThan(-1);
  lines.splice(at, 1 + body);
  return lines.join('\n');
}

describe('the unit workflow contract', () => {
  const sentences = join(repoRoot, 'apps/api/src/inspection/read-model-sentences.ts');
  const explainer = join(repoRoot, 'apps/api/src/inspection/step-explainer.ts');

  it('the Chinese sentence builder covers every event kind: it compiles as it is', () => {
    expect(typeErrors(sentences, readFileSync(sentences, 'utf8'))).toEqual([]);
  });

  it('a sentence builder that misses a kind does not compile', () => {
    const errors = typeErrors(sentences, withoutCase(readFileSync(sentences, 'utf8'), /^\s*case 'completed':$/));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/"completed".*is not assignable to parameter of type 'never'/s);
  });

  it('the step explainer covers every step status: without one it does not compile', () => {
    const source = readFileSync(explainer, 'utf8');
    expect(typeErrors(explainer, source)).toEqual([]);
    const errors = typeErrors(explainer, withoutCase(source, /^\s*case 'cancelled':$/, 3)); // en, zh, break
    expect(errors.join('\n')).toMatch(/"cancelled".*is not assignable to parameter of type 'never'/s);
  });

  it('lists each event kind once', () => {
    expect(new Set(UNIT_EVENT_KINDS).size).toBe(UNIT_EVENT_KINDS.length);
    expect(UNIT_EVENT_KINDS).toHaveLength(21);
  });

  it('builds and reads rectification item keys in one place', () => {
    expect(itemStepKey('rectification-plan', 3)).toBe('rectification-plan#item-3');
    expect(parseItemStepKey('rectification-plan#item-3')).toEqual({ planStepKey: 'rectification-plan', no: 3 });
    expect(parseItemStepKey(itemStepKey('a#item-1', 12))).toEqual({ planStepKey: 'a#item-1', no: 12 });
    expect([
      parseItemStepKey('semester-summary#3'),
      parseItemStepKey('rectification-plan#item-'),
      parseItemStepKey('#item-2'),
    ]).toEqual([undefined, undefined, undefined]);
  });
});

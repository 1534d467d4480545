import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { repoRoot } from './paths';

export interface ProbeError {
  /** Relative to the repository root. */
  file: string;
  line: number;
  code: number;
  message: string;
}

/**
 * Type-checks `roots` (repository-relative) with the compiler options of `tsconfig` (repository-relative), with the
 * files in `replace` read with the given text instead of their own — the real compiler on a probe of the tree,
 * nothing written to disk. Returns every error, with the line of the statement it is reported at. `types`: the
 * ambient type packages to load instead of the tsconfig's (fewer is faster; roots that need none can say []).
 */
export function compileProbe(
  tsconfig: string,
  roots: string[],
  replace: Record<string, string> = {},
  types?: string[],
): ProbeError[] {
  const configPath = join(repoRoot, tsconfig);
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, dirname(configPath)).options;
  const options: ts.CompilerOptions = { ...parsed, noEmit: true, incremental: false, ...(types ? { types } : {}) };
  const replaced = new Map(Object.entries(replace).map(([file, text]) => [join(repoRoot, file), text]));
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => replaced.get(file) ?? readFile(file);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, onError, shouldCreate) => {
    const text = replaced.get(file);
    return text === undefined
      ? getSourceFile(file, language, onError, shouldCreate)
      : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram({ rootNames: roots.map((r) => join(repoRoot, r)), options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ({
      file: d.file ? d.file.fileName.slice(repoRoot.length + 1) : '(options)',
      line: d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start).line + 1 : 0,
      code: d.code,
      message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    }));
}

/** The 1-based line of the first line of `file` (repository-relative) that contains `text`. */
export function lineOf(file: string, text: string): number {
  const index = readFileSync(join(repoRoot, file), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${file} has no line containing ${text}`);
  return index + 1;
}

import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';

/** `stages[1].steps[0].due` → ['stages', 1, 'steps', 0, 'due'] (the validator's field paths). */
export function fieldPath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return out;
}

/** Where a path's key (in a mapping) or item (in a sequence) is written in the YAML text, or null if it is not. */
function locate(doc: Document, path: (string | number)[]): [number, number] | null {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  const last = path[path.length - 1];
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === last);
    const key = pair && isScalar(pair.key) ? pair.key : null;
    if (key?.range) {
      const value = pair!.value as { range?: [number, number, number] } | null;
      // A scalar value on the same line is part of the mark; a nested mapping or list is not (the key line is enough).
      const end = value?.range && isScalar(pair!.value) ? value.range[1] : key.range[1];
      return [key.range[0], end];
    }
  }
  if (isSeq(parent) && typeof last === 'number') {
    const item = parent.items[last] as { range?: [number, number, number] } | undefined;
    if (item?.range) return [item.range[0], item.range[1]];
  }
  return null;
}

/**
 * The text range a validator problem points at: the field itself, or — when it is missing ("is required") — the
 * nearest enclosing key that is written; the first line when nothing is (e.g. `document`).
 */
export function rangeOfField(text: string, field: string): { from: number; to: number } {
  const doc = parseDocument(text);
  const firstLine = { from: 0, to: Math.max(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n')) };
  for (let path = fieldPath(field); path.length > 0; path = path.slice(0, -1)) {
    const at = locate(doc, path);
    if (at) return { from: at[0], to: Math.max(at[0], Math.min(at[1], text.length)) };
  }
  return firstLine;
}

/** YAML syntax errors found in the browser (no need to ask the api): ranges and messages. */
export function yamlSyntaxProblems(text: string): { from: number; to: number; message: string }[] {
  return parseDocument(text, { uniqueKeys: true }).errors.map((e) => ({
    from: Math.min(e.pos[0], text.length),
    to: Math.min(Math.max(e.pos[1], e.pos[0]), text.length),
    message: e.message.split('\n')[0],
  }));
}

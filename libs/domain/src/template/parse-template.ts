import { DateTime } from 'luxon';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import type { FieldProblem } from '../errors';
import { layoutTemplate } from './layout';
import { templateSchema, type CampaignTemplate, type EscalationRungSpec } from './schema';
import { durationMs, localDateTime } from './when';

export type ParseResult =
  { ok: true; template: CampaignTemplate; document: unknown } | { ok: false; problems: FieldProblem[] };

/** `['stages', 1, 'steps', 0, 'due']` → `stages[1].steps[0].due` */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${String(p)}` : String(p)),
    '',
  );
}

/** `v[key]` of a parsed document's value, undefined where there is nothing to index. */
const at = (v: unknown, key: PropertyKey): unknown =>
  v == null ? undefined : (v as Record<PropertyKey, unknown>)[key];

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(at, data);
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
};

const WHEN_HINT =
  'must be a local date-time such as 2010-07-15T17:00, or { after: <ISO duration>, from: cycle | stage }';

/** Plain-language problems from zod issues; union failures report the branch matching the value's shape. */
function problemsOf(issues: readonly z.core.$ZodIssue[], data: unknown, prefix: PropertyKey[] = []): FieldProblem[] {
  return issues.flatMap((iss): FieldProblem[] => {
    const path = [...prefix, ...iss.path];
    const field = fieldPath(path);
    const value = valueAt(data, path);
    switch (iss.code) {
      case 'invalid_type':
        return [
          {
            field,
            problem: value === undefined ? 'is required' : `must be ${TYPE_WORDS[iss.expected] ?? iss.expected}`,
          },
        ];
      case 'invalid_value':
        return [{ field, problem: `must be one of: ${iss.values.map(String).join(', ')}` }];
      case 'unrecognized_keys':
        return iss.keys.map((k) => ({ field: fieldPath([...path, k]), problem: 'unknown field' }));
      case 'invalid_union': {
        if (value === undefined) return [{ field, problem: 'is required' }];
        // Explain what is wrong inside the branch matching the value's shape (a string, or a mapping); else the hint.
        const matching = iss.errors.find(
          (branch) => !branch.some((e) => e.code === 'invalid_type' && e.path.length === 0),
        );
        return matching ? problemsOf(matching, data, path) : [{ field, problem: WHEN_HINT }];
      }
      default:
        return [{ field, problem: iss.message }];
    }
  });
}

/** Characters of a template document (YAML text, or the JSON of an object): the built-ins are under 10,000. */
export const MAX_TEMPLATE_CHARS = 256 * 1024;
/** Alias uses a YAML document may make; each may copy a whole subtree (the "billion laughs" attack). */
export const MAX_YAML_ALIASES = 100;
/** Steps of a template after expanding recurring series: each is workflow state, timers and notices per unit. */
export const MAX_TEMPLATE_STEPS = 300;

function readDocument(input: string | object): { document?: unknown; problems: FieldProblem[] } {
  const size = typeof input === 'string' ? input.length : JSON.stringify(input).length;
  if (size > MAX_TEMPLATE_CHARS)
    return { problems: [{ field: 'document', problem: `is ${size} characters long; at most ${MAX_TEMPLATE_CHARS}` }] };
  if (typeof input !== 'string') return { document: input, problems: [] };
  const doc = parseDocument(input, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      problems: doc.errors.map((e) => ({
        field: 'document',
        problem: `not valid YAML/JSON: ${e.message.split('\n')[0].replace(/:$/, '')}`,
      })),
    };
  }
  try {
    return { document: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }), problems: [] };
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand beyond maxAliasCount
    if (!/alias/i.test((error as Error).message)) throw error;
    return {
      problems: [
        {
          field: 'document',
          problem: `YAML aliases expand too much (more than ${MAX_YAML_ALIASES} alias uses): refused as a resource-exhaustion attempt`,
        },
      ],
    };
  }
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Keys must be unique (stages; steps and series across the template; deliverables within a step). Written for the
 * raw document too, so these problems are reported alongside schema problems rather than after they are fixed.
 */
function checkKeysUnique(t: unknown, problems: FieldProblem[]) {
  const seen = new Map<string, string>();
  const claim = (key: unknown, field: string, what: string) => {
    if (typeof key !== 'string') return;
    const first = seen.get(`${what}:${key}`);
    if (first) problems.push({ field, problem: `duplicate ${what} key '${key}' (first used at ${first})` });
    else seen.set(`${what}:${key}`, field);
  };
  list(at(t, 'stages')).forEach((s, i) => {
    claim(at(s, 'key'), `stages[${i}].key`, 'stage');
    list(at(s, 'steps')).forEach((step, j) => claim(at(step, 'key'), `stages[${i}].steps[${j}].key`, 'step'));
  });
  // Series keys share the step namespace: occurrences become steps `series#n`, and a plain step may not shadow a series.
  list(at(t, 'recurring')).forEach((r, i) => claim(at(r, 'series'), `recurring[${i}].series`, 'step'));
  const deliverables = (items: unknown, path: string) => {
    const keys = new Map<string, number>();
    list(items).forEach((d, k) => {
      const key = at(d, 'key');
      if (typeof key !== 'string') return;
      if (keys.has(key))
        problems.push({
          field: `${path}.deliverables[${k}].key`,
          problem: `duplicate deliverable key '${key}' (first used at ${path}.deliverables[${keys.get(key)}].key)`,
        });
      else keys.set(key, k);
    });
  };
  list(at(t, 'stages')).forEach((s, i) =>
    list(at(s, 'steps')).forEach((step, j) => deliverables(at(step, 'deliverables'), `stages[${i}].steps[${j}]`)),
  );
  list(at(t, 'recurring')).forEach((r, i) => deliverables(at(r, 'deliverables'), `recurring[${i}]`));
}

function checkMinHours(t: CampaignTemplate, problems: FieldProblem[]) {
  const check = (items: CampaignTemplate['recurring'][number]['deliverables'], path: string) =>
    items.forEach((d, k) => {
      if (d.minHours !== undefined && d.kind !== 'attendance_hours') {
        problems.push({
          field: `${path}.deliverables[${k}].minHours`,
          problem: 'only attendance_hours deliverables have minHours',
        });
      }
      if (d.publish !== undefined && d.kind !== 'plan_with_items') {
        problems.push({
          field: `${path}.deliverables[${k}].publish`,
          problem: 'only plan_with_items deliverables are published',
        });
      }
    });
  t.stages.forEach((s, i) => s.steps.forEach((step, j) => check(step.deliverables, `stages[${i}].steps[${j}]`)));
  t.recurring.forEach((r, i) => check(r.deliverables, `recurring[${i}]`));
}

function checkNotices(
  reminders: string[] | undefined,
  escalation: EscalationRungSpec[] | undefined,
  path: string,
  problems: FieldProblem[],
) {
  const seen = new Set<number>();
  reminders?.forEach((r, i) => {
    const ms = durationMs(r);
    if (ms <= 0)
      problems.push({
        field: `${path}.reminders[${i}]`,
        problem: 'must be longer than zero (it is an offset before the due date)',
      });
    else if (seen.has(ms))
      problems.push({ field: `${path}.reminders[${i}]`, problem: `duplicate reminder offset ${r}` });
    seen.add(ms);
  });
  escalation?.forEach((rung, i) => {
    if (i > 0 && durationMs(rung.after) <= durationMs(escalation[i - 1].after)) {
      problems.push({
        field: `${path}.escalation[${i}].after`,
        problem: `must be later than the previous rung (${escalation[i - 1].after}); rungs climb in order`,
      });
    }
  });
}

/** Semantic checks a schema cannot express: unique keys, consistent notices, windows and deadlines in order. */
function semanticProblems(t: CampaignTemplate): FieldProblem[] {
  const problems: FieldProblem[] = [];
  checkKeysUnique(t, problems);
  checkMinHours(t, problems);
  checkNotices(t.defaults.reminders, t.defaults.escalation, 'defaults', problems);
  t.stages.forEach((s, i) =>
    s.steps.forEach((step, j) => checkNotices(step.reminders, step.escalation, `stages[${i}].steps[${j}]`, problems)),
  );
  t.recurring.forEach((r, i) => checkNotices(r.reminders, r.escalation, `recurring[${i}]`, problems));
  if (t.calendar.quietHours && t.calendar.quietHours.start === t.calendar.quietHours.end) {
    problems.push({ field: 'calendar.quietHours.end', problem: 'must differ from start' });
  }
  // Ordering checks need instants: lay out at a nominal start (the earliest absolute window, else 1 January).
  const absolute = t.stages
    .map((s) => s.window.opens)
    .filter((w): w is string => typeof w === 'string')
    .sort();
  const zone = { zone: t.timeZone, yearShift: 0 };
  const cycleStart = absolute.length
    ? localDateTime(absolute[0], 'start', zone)
    : DateTime.fromObject({ year: t.referenceYear, month: 1, day: 1 }, { zone: t.timeZone });
  const laidOut = layoutTemplate(t, { ...zone, cycleStart }, problems);
  const steps = laidOut.reduce((n, s) => n + s.steps.length, 0);
  if (steps > MAX_TEMPLATE_STEPS)
    problems.push({
      field: 'stages',
      problem: `the template has ${steps} steps (recurring occurrences included); at most ${MAX_TEMPLATE_STEPS}`,
    });
  return problems;
}

/**
 * Parses a template document (YAML/JSON text, or an already parsed object). Returns the typed template with
 * defaults applied, or every problem found — schema and semantic — each with a path such as `stages[1].steps[0].due`.
 */
export function parseTemplate(input: string | object): ParseResult {
  const read = readDocument(input);
  if (read.problems.length) return { ok: false, problems: read.problems };
  const document = read.document;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      ok: false,
      problems: [{ field: 'document', problem: 'must be a mapping with key, name, referenceYear and stages' }],
    };
  }
  const parsed = templateSchema.safeParse(document);
  if (!parsed.success) {
    const keyProblems: FieldProblem[] = [];
    checkKeysUnique(document, keyProblems);
    return { ok: false, problems: [...problemsOf(parsed.error.issues, document), ...keyProblems] };
  }
  const problems = semanticProblems(parsed.data);
  return problems.length ? { ok: false, problems } : { ok: true, template: parsed.data, document };
}

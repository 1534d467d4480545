/**
 * The deliverable kinds (报告, 会议记录, 整改方案 …): the one place a kind is defined. A kind's entry in
 * `deliverableKinds` says which structured fields a deliverable of that kind carries (checked on every save and
 * submit), whether its Markdown text is required, and its cross-field rules. `DeliverableKind` is the set of keys of
 * that table, so every `Record<DeliverableKind, …>` and exhaustive `switch` elsewhere (templates, the api's DTOs, the
 * console's hand-in forms and review rendering) stops compiling until it handles a new kind — see "To add a
 * deliverable kind" in docs/ARCHITECTURE.md. Pure (zod only); not imported by workflow code except as types.
 */
import { z } from 'zod';
import type { FieldProblem } from '../errors';

/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 is refused). */
const isoDate = z
  .string({ message: 'must be a date YYYY-MM-DD' })
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return true; // already reported by the regex
    const [y, m, d] = s.split('-').map(Number);
    const t = new Date(Date.UTC(y, m - 1, d));
    return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
  }, 'is not a calendar date');
const text = (max = 2000) =>
  z
    .string({ message: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);
const count = z.number({ message: 'must be a number' }).int('must be an integer').min(0, 'must be ≥ 0');

/** Items of one plan: each becomes a workflow step of the unit (rectification-plan#item-N), so the list is capped. */
export const MAX_PLAN_ITEMS = 200;
/** Staged goals of a public commitment. */
export const MAX_COMMITMENT_ITEMS = 100;

/** 整改落实方案: each item with goal, project, time limit, measures and who is responsible (seed 004 step 5). */
const rectificationItem = z.strictObject({
  goal: text(),
  project: text(),
  deadline: isoDate,
  measures: text(),
  responsible: text(200),
});
/** 公开承诺: staged goals that are concrete, operable, checkable (seed 000 Q1). */
const commitmentItem = z.strictObject({ goal: text(), measures: text(), deadline: isoDate });

/** One row of a rectification plan as submitted. */
export type RectificationItemFields = z.infer<typeof rectificationItem>;

/**
 * Structured fields per deliverable kind. `text` (Markdown) is separate and required where `textRequired`.
 * Objects are strict: an unknown field is a mistake worth reporting, not something to drop silently.
 */
export interface KindSpec {
  fields: z.ZodObject;
  /** Drafts of list kinds: rows may be half filled in (the portal autosaves while a row is being typed). */
  draftFields?: z.ZodObject;
  textRequired: boolean;
  /** Cross-field rules, checked once the fields themselves are well-formed. */
  rules?: FieldRule[];
}

/** A cross-field rule over a kind's parsed fields (a draft's may lack any of them). */
export interface FieldRule {
  field: string;
  problem: string;
  holds: (fields: Record<string, unknown>) => boolean;
}

/** A rule written against the fields `schema` parses, kept in the table's common form. */
function rule<S extends z.ZodObject>(
  _schema: S,
  field: keyof z.infer<S> & string,
  problem: string,
  holds: (f: Partial<z.infer<S>>) => boolean,
): FieldRule {
  // fieldProblems calls it only with what this kind's schema (or its partial draft form) has parsed
  return { field, problem, holds: (f) => holds(f as Partial<z.infer<S>>) };
}

const evaluationFields = z.strictObject({
  respondents: count,
  satisfied: count,
  evaluationId: z.uuid('must be a UUID').optional(),
});
const attendanceHoursFields = z.strictObject({
  hours: z.number({ message: 'must be a number' }).min(0, 'must be ≥ 0').max(10_000, 'must be ≤ 10000'),
  members: count.optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
});

/** In this order in the api's enums and the template schema (the OpenAPI document lists them so). */
export const deliverableKinds = {
  report: { fields: z.strictObject({}), textRequired: true },
  meeting_minutes: {
    fields: z.strictObject({
      meetingDate: isoDate,
      attendees: count.min(1, 'must be at least 1'),
      absentees: count.optional(),
    }),
    textRequired: true,
  },
  plan_with_items: {
    fields: z.strictObject({
      items: z
        .array(rectificationItem, { message: 'must be a list' })
        .min(1, 'must list at least one item')
        .max(MAX_PLAN_ITEMS, `must list at most ${MAX_PLAN_ITEMS} items (each becomes a workflow step)`),
      published: z.boolean().optional(),
    }),
    // A draft may hold half-typed rows (autosave never loses a row being typed); submitting needs every cell.
    draftFields: z
      .strictObject({
        items: z
          .array(rectificationItem.partial(), { message: 'must be a list' })
          .max(MAX_PLAN_ITEMS, `must list at most ${MAX_PLAN_ITEMS} items (each becomes a workflow step)`),
        published: z.boolean(),
      })
      .partial(),
    textRequired: false,
  },
  evaluation: {
    fields: evaluationFields,
    textRequired: false,
    rules: [
      rule(
        evaluationFields,
        'satisfied',
        'must not exceed respondents',
        (f) => f.satisfied === undefined || f.respondents === undefined || f.satisfied <= f.respondents,
      ),
    ],
  },
  attendance_hours: {
    fields: attendanceHoursFields,
    textRequired: false,
    rules: [rule(attendanceHoursFields, 'to', 'must not be before from', (f) => !f.from || !f.to || f.from <= f.to)],
  },
  commitment: {
    fields: z.strictObject({
      items: z
        .array(commitmentItem, { message: 'must be a list' })
        .min(1, 'must list at least one item')
        .max(MAX_COMMITMENT_ITEMS, `must list at most ${MAX_COMMITMENT_ITEMS} items`),
    }),
    draftFields: z
      .strictObject({
        items: z
          .array(commitmentItem.partial(), { message: 'must be a list' })
          .max(MAX_COMMITMENT_ITEMS, `must list at most ${MAX_COMMITMENT_ITEMS} items`),
      })
      .partial(),
    textRequired: false,
  },
  free_form: { fields: z.strictObject({}), textRequired: true },
} satisfies Record<string, KindSpec>;

export type DeliverableKind = keyof typeof deliverableKinds;

export const DELIVERABLE_KINDS = Object.keys(deliverableKinds) as [DeliverableKind, ...DeliverableKind[]];

/** What the api's OpenAPI document says of `text` and `fields` (a new kind adds itself where it belongs). */
export const DELIVERABLE_TEXT_DOC = 'Markdown text (required for report, free_form and meeting_minutes on submit)';
export const DELIVERABLE_FIELDS_DOC =
  'Structured fields by kind — meeting_minutes: {meetingDate, attendees, absentees?}; plan_with_items: {items:[{goal, project, deadline, measures, responsible}], published?}; commitment: {items:[{goal, measures, deadline}]}; attendance_hours: {hours, members?, from?, to?}; evaluation: {respondents, satisfied, evaluationId?}. Dates are YYYY-MM-DD.';

export function formatPath(prefix: string, path: PropertyKey[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : `${acc}.${String(p)}`), prefix);
}

/**
 * Problems of one deliverable's fields. `complete`: everything the kind requires must be there (submit);
 * otherwise a draft may leave top-level fields out, but what it does contain must be well-formed.
 */
export function fieldProblems(
  kind: DeliverableKind,
  fields: Record<string, unknown> | undefined,
  prefix: string,
  complete: boolean,
): FieldProblem[] {
  const spec: KindSpec = deliverableKinds[kind];
  const result = (complete ? spec.fields : (spec.draftFields ?? spec.fields.partial())).safeParse(fields ?? {});
  if (result.success)
    return (spec.rules ?? [])
      .filter((r) => !r.holds(result.data))
      .map((r) => ({ field: `${prefix}.${r.field}`, problem: r.problem }));
  return result.error.issues.map((i) => ({
    field: formatPath(prefix, i.path),
    problem:
      i.code === 'unrecognized_keys'
        ? `unknown field(s) ${i.keys.join(', ')}`
        : i.code === 'invalid_type' && valueAt(fields, i.path) === undefined
          ? 'is required'
          : i.message,
  }));
}

function valueAt(root: unknown, path: PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (v, p) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined),
    root,
  );
}

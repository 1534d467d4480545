import { DateTime, Duration } from 'luxon';
import { z } from 'zod';
import { DELIVERABLE_KINDS } from '../deliverables/deliverable-kinds';
import { unitKindKeys } from '../units/unit-kind';

/**
 * The campaign template document (YAML or JSON) as the office writes it. Everything a campaign needs — stages,
 * steps, deliverables, windows, due dates, applicability, review, reminders, escalation, recurring milestones —
 * is data here, so a new campaign needs no code change. `parseTemplate` adds the checks a schema cannot express.
 */

/** Strict ISO-8601 durations only (luxon alone would accept "P" or "PT"). Negative durations are not allowed. */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
/** A local date (`2009-03-15`) or local date-time (`2009-03-15T17:00`, seconds optional), in the template's zone. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2})?)?$/;
const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;
const KEY = /^[a-z0-9][a-z0-9_-]*$/;

export function isIsoDuration(value: string): boolean {
  return ISO_DURATION.test(value) && Duration.fromISO(value).isValid;
}

export function isLocalDateTime(value: string): boolean {
  return LOCAL_DATE_TIME.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

const key = (what: string) =>
  z.string().regex(KEY, `must be a ${what} key of lower-case letters, digits, '-' or '_' (e.g. study-research)`);
const title = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const description = z.string().max(10_000, 'must be at most 10000 characters');

/**
 * Size limits: every step becomes workflow state, timers and notices for every unit of a cycle, so a template is
 * bounded in stages, steps (after expanding recurring series: MAX_TEMPLATE_STEPS, checked in parse-template.ts),
 * deliverables, notices and text. The built-in templates use a small fraction of each.
 */
export const TEMPLATE_LIMITS = {
  stages: 12,
  stepsPerStage: 100,
  recurringSeries: 20,
  occurrences: 200,
  deliverables: 20,
  reminders: 20,
  escalationRungs: 10,
} as const;
const atMost = (n: number, what: string) => [n, `must list at most ${n} ${what}`] as const;

export const isoDuration = z.string().refine(isIsoDuration, 'must be an ISO-8601 duration such as P7D, PT2M or PT30S');
export const localDate = z
  .string()
  .refine(
    (v) => LOCAL_DATE.test(v) && DateTime.fromISO(v, { zone: 'UTC' }).isValid,
    'must be a local date such as 2010-07-15',
  );
export const localDateTime = z
  .string()
  .refine(isLocalDateTime, 'must be a local date or date-time such as 2010-07-15 or 2010-07-15T17:00');

/** Where a relative time is measured from: the cycle's start, or the start of the stage the step is in. */
export const anchorSchema = z.enum(['cycle', 'stage']);

/**
 * A point in time: an absolute local date-time written for `referenceYear` (shifted with the cycle's year), or an
 * ISO duration after the cycle's / stage's start (`{ after: PT30S, from: stage }`; `from` defaults to cycle).
 * A date without a time means the start of that day for `opens` and the end of that day (23:59:59) for `due`/`closes`.
 */
export const whenSchema = z.union([
  localDateTime,
  z.strictObject({ after: isoDuration, from: anchorSchema.default('cycle') }),
]);

export const escalationRungSchema = z.strictObject({
  after: isoDuration,
  to: z.enum(['unit', 'parent', 'office']),
  bulletin: z.boolean().default(false),
});

export const reviewSchema = z.enum(['office', 'none']);

export const deliverableSchema = z.strictObject({
  key: key('deliverable'),
  kind: z.enum(DELIVERABLE_KINDS),
  title,
  required: z.boolean().default(true),
  /** attendance_hours only: e.g. 48 (党员集中活动时间不少于48个小时). */
  minHours: z.number().positive('must be a positive number of hours').optional(),
  /** plan_with_items only: the accepted plan is published to the other units of the cycle (方案要公布，接受监督). */
  publish: z.boolean().optional(),
});

export const unitKindSchema = z.string().refine((v) => (unitKindKeys as string[]).includes(v), {
  message: `must be one of the unit kinds: ${unitKindKeys.join(', ')}`,
});

/** Fields a step may set and that otherwise come from the template's `defaults`. */
const overridable = {
  review: reviewSchema.optional(),
  reminders: z
    .array(isoDuration)
    .max(...atMost(TEMPLATE_LIMITS.reminders, 'reminders'))
    .optional(),
  escalation: z
    .array(escalationRungSchema)
    .max(...atMost(TEMPLATE_LIMITS.escalationRungs, 'rungs'))
    .optional(),
};

const stepBody = {
  title,
  description: description.optional(),
  /** Unit kinds the step applies to (分类指导); omitted = every kind. */
  appliesTo: z
    .array(unitKindSchema)
    .min(1, 'must list at least one unit kind (omit it to apply to all)')
    .max(...atMost(unitKindKeys.length, 'unit kinds'))
    .optional(),
  required: z.boolean().default(true),
  deliverables: z
    .array(deliverableSchema)
    .min(1, 'must list at least one deliverable')
    .max(...atMost(TEMPLATE_LIMITS.deliverables, 'deliverables')),
  ...overridable,
};

export const stepSchema = z.strictObject({
  key: key('step'),
  opens: whenSchema.optional(),
  due: whenSchema,
  ...stepBody,
});

export const stageSchema = z.strictObject({
  key: key('stage'),
  title,
  description: description.optional(),
  window: z.strictObject({ opens: whenSchema, closes: whenSchema }),
  /** 进度服从质量: a unit leaves the stage only when its required steps are accepted (or waived). */
  gating: z.boolean().default(true),
  steps: z
    .array(stepSchema)
    .max(...atMost(TEMPLATE_LIMITS.stepsPerStage, 'steps'))
    .default([]),
});

/** One explicit occurrence of a recurring milestone. */
export const occurrenceSchema = z.strictObject({
  due: whenSchema,
  opens: whenSchema.optional(),
  label: z.string().max(200, 'must be at most 200 characters').optional(),
});

/**
 * A recurring milestone, expanded to one step per occurrence (`semester-summary#3`). Exactly one way of recurring:
 *  - `every: quarter | half-year | semester` with `from`/`to` local dates: one occurrence per period ending in the range,
 *    due at the end of the period (or of the range, if that comes first) plus `dueAfterPeriodEnd`;
 *    semesters are spring (Feb–Jul) and autumn (Aug–Jan);
 *  - `every: <ISO duration>` with `count` and `start`: due at start + n × every (tests use PT2M);
 *  - `dates`: an explicit list.
 * Each occurrence goes to `stage` if given, else to the first stage whose window contains its due instant.
 */
export const recurringSchema = z.strictObject({
  series: key('series'),
  stage: key('stage').optional(),
  every: z
    .string()
    .refine(
      (v) => ['quarter', 'half-year', 'semester'].includes(v) || isIsoDuration(v),
      'must be quarter, half-year, semester or an ISO-8601 duration such as PT2M',
    )
    .optional(),
  from: localDate.optional(),
  to: localDate.optional(),
  dueAfterPeriodEnd: isoDuration.optional(),
  count: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(TEMPLATE_LIMITS.occurrences, `must be at most ${TEMPLATE_LIMITS.occurrences}`)
    .optional(),
  start: whenSchema.optional(),
  dates: z
    .array(occurrenceSchema)
    .min(1, 'must list at least one date')
    .max(...atMost(TEMPLATE_LIMITS.occurrences, 'dates'))
    .optional(),
  ...stepBody,
});

export const templateSchema = z.strictObject({
  key: key('template'),
  name: title,
  description: description.optional(),
  /** The year the absolute dates are written for; a cycle started in year Y shifts them by Y − referenceYear years. */
  referenceYear: z.number().int().min(1949, 'must be a year after 1949').max(2200, 'must be a year before 2200'),
  timeZone: z
    .string()
    .refine((v) => DateTime.now().setZone(v).isValid, 'must be an IANA time zone such as Asia/Shanghai')
    .default('Asia/Shanghai'),
  calendar: z
    .strictObject({
      rollDueToWorkingDay: z.boolean().default(false),
      quietHours: z
        .strictObject({
          start: z.string().regex(CLOCK, 'must be a clock time HH:mm'),
          end: z.string().regex(CLOCK, 'must be a clock time HH:mm'),
        })
        .optional(),
    })
    .default({ rollDueToWorkingDay: false }),
  defaults: z
    .strictObject({
      review: reviewSchema.default('office'),
      reminders: z
        .array(isoDuration)
        .max(...atMost(TEMPLATE_LIMITS.reminders, 'reminders'))
        .default([]),
      escalation: z
        .array(escalationRungSchema)
        .max(...atMost(TEMPLATE_LIMITS.escalationRungs, 'rungs'))
        .default([]),
      /** Unit kinds every step applies to unless the step says otherwise; omitted = every kind. */
      appliesTo: z
        .array(unitKindSchema)
        .min(1, 'must list at least one unit kind (omit it to apply to all)')
        .max(...atMost(unitKindKeys.length, 'unit kinds'))
        .optional(),
    })
    .default({ review: 'office', reminders: [], escalation: [] }),
  stages: z
    .array(stageSchema)
    .min(1, 'must list at least one stage')
    .max(...atMost(TEMPLATE_LIMITS.stages, 'stages')),
  recurring: z
    .array(recurringSchema)
    .max(...atMost(TEMPLATE_LIMITS.recurringSeries, 'series'))
    .default([]),
});

export type When = z.infer<typeof whenSchema>;
export type EscalationRungSpec = z.infer<typeof escalationRungSchema>;
export type DeliverableSpec = z.infer<typeof deliverableSchema>;
export type StepSpec = z.infer<typeof stepSchema>;
export type StageSpec = z.infer<typeof stageSchema>;
export type RecurringSpec = z.infer<typeof recurringSchema>;
export type OccurrenceSpec = z.infer<typeof occurrenceSchema>;
/** A parsed, defaulted, semantically checked template. */
export type CampaignTemplate = z.infer<typeof templateSchema>;
/** What the office writes (defaults not yet applied). */
export type CampaignTemplateInput = z.input<typeof templateSchema>;
export type QuietHours = { start: string; end: string };

/**
 * Campaign templates as data: schema, parsing with every problem at once, and plan resolution.
 * Not for workflow code (it uses zod, yaml, luxon and chinese-days); workflows get the resolved CyclePlan.
 */
export { parseTemplate, fieldPath, type ParseResult } from './parse-template';
export { resolvePlan, type ResolvePlanOptions } from './resolve-plan';
export { templateSchema, isIsoDuration, isLocalDateTime } from './schema';
export type {
  CampaignTemplate,
  CampaignTemplateInput,
  DeliverableSpec,
  EscalationRungSpec,
  OccurrenceSpec,
  QuietHours,
  RecurringSpec,
  StageSpec,
  StepSpec,
  When,
} from './schema';
export { templateChecksum, canonicalJson } from './checksum';

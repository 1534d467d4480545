import type { PlannedStep } from '../../../../libs/domain/src';
import { parseItemStepKey } from '../../../../libs/domain/src/campaign';
import { itemDeadlines, itemDueAt, planItemsOf } from '../../../../libs/domain/src/rectification/plan-items';
import type { RectificationItemInput } from '../../../../workflows/campaign/messages';
import type { VersionContent } from './submission-views';

/**
 * Rectification items (整改落实方案, seed 004 step 5) as steps of their own: when the office accepts a version of a
 * step with plan_with_items deliverables, each item (libs/domain/src/rectification/plan-items.ts: numbered 1… across
 * those deliverables, due at the end of its deadline day in the plan's zone) becomes the unit workflow's required
 * step `<plan step>#item-<n>`. The unit completes an item through the ordinary submission of that step key, with
 * one deliverable: `evidence`.
 */
export { planItemsOf, type PlanItem } from '../../../../libs/domain/src/rectification/plan-items';

export const EVIDENCE_DELIVERABLE = {
  key: 'evidence',
  kind: 'free_form' as const,
  title: '整改完成情况（佐证材料）',
  required: true,
};

/** The items as the workflow's update carries them (the compiler checks the domain's shape against the message's). */
export const itemsForWorkflow = (content: VersionContent, timeZone: string): RectificationItemInput[] =>
  itemDeadlines(content, timeZone);

/**
 * The item's step as the api checks submissions against it, from the newest accepted version of the plan step
 * (`accepted`, undefined when none is); undefined when that version lists no such item.
 */
export function itemStepOf(
  accepted: VersionContent | undefined,
  stepKey: string,
  planStep: PlannedStep,
  timeZone: string,
): PlannedStep | undefined {
  const key = parseItemStepKey(stepKey);
  if (!key) return undefined;
  const item = accepted ? planItemsOf(accepted).find((it) => it.no === key.no) : undefined;
  if (!item) return undefined;
  return {
    ...planStep,
    key: stepKey,
    title: `整改项目 ${item.no}: ${item.project}`,
    dueAt: itemDueAt(item.deadline, timeZone),
    required: true,
    reviewRequired: true,
    deliverables: [EVIDENCE_DELIVERABLE],
  };
}

/**
 * Rectification items (整改落实方案, seed 004 step 5): the rows of an accepted plan_with_items deliverable, numbered
 * 1… across a version's plan deliverables in order, each due at the end of its deadline day in the plan's zone — the
 * same reading a template's bare `due` date gets. The unit workflow carries each as a step of its own.
 */
import { DateTime } from 'luxon';
import type { DeliverableKind } from '../deliverables/deliverable-kinds';
import type { RectificationItemFields } from '../deliverables/deliverable-kinds';

export interface PlanItem extends RectificationItemFields {
  no: number;
}

/** A submitted version's deliverables (or any part of them): what the items are read from. */
export interface DeliverablesContent {
  deliverables: { kind: DeliverableKind; fields?: Record<string, unknown> }[];
}

export function planItemsOf(content: DeliverablesContent): PlanItem[] {
  const items = content.deliverables
    .filter((d) => d.kind === 'plan_with_items')
    .flatMap((d) => (d.fields?.items as RectificationItemFields[] | undefined) ?? []);
  return items.map((it, i) => ({ no: i + 1, ...it }));
}

/** End of the deadline day (23:59:59) in the plan's zone, as a UTC instant. */
export function itemDueAt(deadline: string, timeZone: string): string {
  return DateTime.fromISO(deadline, { zone: timeZone })
    .set({ hour: 23, minute: 59, second: 59, millisecond: 0 })
    .toUTC()
    .toISO()!;
}

/** What the unit workflow is told of each item when the plan is accepted. */
export function itemDeadlines(
  content: DeliverablesContent,
  timeZone: string,
): { no: number; project: string; responsible: string; dueAt: string }[] {
  return planItemsOf(content).map((it) => ({
    no: it.no,
    project: it.project,
    responsible: it.responsible,
    dueAt: itemDueAt(it.deadline, timeZone),
  }));
}

/**
 * A rectification item of an accepted plan is a step of its own, keyed `<plan step key>#item-<no>` (no: 1-based).
 * Built and read only here; SQL that joins on it takes the infix as a parameter.
 */
export const ITEM_KEY_INFIX = '#item-';

const ITEM_KEY = new RegExp(`^(.+)${ITEM_KEY_INFIX}(\\d+)$`);

export const itemStepKey = (planStepKey: string, no: number): string => `${planStepKey}${ITEM_KEY_INFIX}${no}`;

/** The plan step and item number of an item's step key; undefined for any other step key. */
export function parseItemStepKey(stepKey: string): { planStepKey: string; no: number } | undefined {
  const match = ITEM_KEY.exec(stepKey);
  return match ? { planStepKey: match[1], no: Number(match[2]) } : undefined;
}

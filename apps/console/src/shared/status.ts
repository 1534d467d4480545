/**
 * Status colours shared by every page (matrix cells, tags, legends), so "overdue" is the same red everywhere.
 * The label of a status is the message `stepStatus.<key>` / `cycleStatus.<key>` (i18n/messages.ts).
 */
export const STEP_STATUS_COLORS = {
  pending: '#d9d9d9',
  open: '#1677ff',
  submitted: '#13c2c2',
  returned: '#fa8c16',
  accepted: '#52c41a',
  dueSoon: '#faad14',
  overdue: '#f5222d',
  escalated: '#a8071a',
  waived: '#8c8c8c',
  cancelled: '#bfbfbf',
} as const;
export type StepDisplayStatus = keyof typeof STEP_STATUS_COLORS;
/** The legend's order: the life of a step, then the deadline states. */
export const STEP_STATUS_ORDER: StepDisplayStatus[] = [
  'pending',
  'open',
  'submitted',
  'returned',
  'accepted',
  'dueSoon',
  'overdue',
  'escalated',
  'waived',
  'cancelled',
];

/** Ant Design Tag colours for a cycle's status. */
export const CYCLE_STATUS_TAG = {
  starting: 'processing',
  running: 'blue',
  paused: 'orange',
  cancelled: 'default',
  completed: 'green',
} as const;
export type CycleStatus = keyof typeof CYCLE_STATUS_TAG;

/** Units by status in a cycle (cycle_unit.status), in display order, with their colours. */
export const UNIT_RUN_STATUS_COLORS = {
  pending: '#d9d9d9',
  running: '#1677ff',
  paused: '#fa8c16',
  completed: '#52c41a',
  cancelled: '#8c8c8c',
} as const;

/**
 * The status a step shows: the read model's status, sharpened by its deadline (open or returned and past due →
 * overdue, or escalated when a rung was climbed; due within `soonMs` → due soon).
 */
export function displayStepStatus(
  step: { status: string; dueAt?: string | null; escalationLevel?: number },
  now = Date.now(),
  soonMs = 3 * 86_400_000,
): StepDisplayStatus {
  const live = step.status === 'open' || step.status === 'returned';
  const due = step.dueAt ? Date.parse(step.dueAt) : NaN;
  if (live && due < now) return (step.escalationLevel ?? 0) > 0 ? 'escalated' : 'overdue';
  if (live && due - now < soonMs) return 'dueSoon';
  return (step.status in STEP_STATUS_COLORS ? step.status : 'pending') as StepDisplayStatus;
}

/**
 * Text-bearing tags for step statuses: white on a dark hue of the status's family. The cell colours above are for
 * swatches; as a tag background most of them leave white text below 4.5:1 (axe color-contrast).
 */
export const STEP_STATUS_TAG_HUES: Record<StepDisplayStatus, string> = {
  pending: '#595959',
  open: '#0958d9',
  submitted: '#006d75',
  returned: '#ad2102',
  accepted: '#237804',
  dueSoon: '#ad4e00',
  overdue: '#a8071a',
  escalated: '#820014',
  waived: '#595959',
  cancelled: '#595959',
};
export const stepStatusTagStyle = (status: string) => {
  const hue = STEP_STATUS_TAG_HUES[status as StepDisplayStatus] ?? STEP_STATUS_TAG_HUES.pending;
  return { color: '#fff', background: hue, borderColor: hue };
};

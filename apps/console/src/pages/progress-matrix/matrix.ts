import type { components } from '../../api/schema';
import type { StepDisplayStatus } from '../../shared/status';

export type Matrix = components['schemas']['ProgressMatrixDto'];
export type MatrixRow = components['schemas']['MatrixUnitRowDto'];
export type MatrixStatus = Matrix['legend'][string];

/** The matrix API's status names → the console's shared display statuses (one colour per status everywhere). */
export const MATRIX_TO_DISPLAY: Record<MatrixStatus, StepDisplayStatus | null> = {
  not_in_plan: null,
  not_open: 'pending',
  open: 'open',
  submitted: 'submitted',
  returned: 'returned',
  accepted: 'accepted',
  due_soon: 'dueSoon',
  overdue: 'overdue',
  escalated: 'escalated',
  waived: 'waived',
  cancelled: 'cancelled',
};

/** The filterable statuses, in the legend's order. */
export const FILTER_STATUSES: MatrixStatus[] = [
  'not_open',
  'open',
  'submitted',
  'returned',
  'accepted',
  'due_soon',
  'overdue',
  'escalated',
  'waived',
];

/** Cell code → display status, from the answer's own legend (the code letters are the API's to choose). */
export function decodeLegend(legend: Matrix['legend']): Map<string, StepDisplayStatus | null> {
  return new Map(Object.entries(legend).map(([code, name]) => [code, MATRIX_TO_DISPLAY[name as MatrixStatus] ?? null]));
}

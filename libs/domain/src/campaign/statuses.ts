/**
 * The state names of the campaign workflows, declared once. Types, DTO enums and the CHECK constraints of the
 * migrations follow these lists (test/integration/cycles/status-constraints.spec.ts compares them with PostgreSQL).
 * Pure constants: the workflow bundle imports this file.
 */

/** A step of one unit, as the unit workflow moves it (unit_step_status.status). */
export const STEP_STATUSES = ['pending', 'open', 'submitted', 'returned', 'accepted', 'waived', 'cancelled'] as const;
export type StepStatusName = (typeof STEP_STATUSES)[number];

/** Decided: the step never changes again and no longer gates anything. */
export const DECIDED_STEP_STATUSES = ['accepted', 'waived', 'cancelled'] as const satisfies readonly StepStatusName[];

/** The unit workflow's own state (its status query, and the read model once the workflow wrote). */
export const UNIT_STATES = ['running', 'paused', 'completed', 'cancelled'] as const;
export type UnitState = (typeof UNIT_STATES)[number];

/** A unit of a cycle in the read model (cycle_unit.status): `pending` until its workflow has written. */
export const CYCLE_UNIT_STATUSES = ['pending', ...UNIT_STATES] as const;
export type CycleUnitStatus = (typeof CYCLE_UNIT_STATUSES)[number];

/** A cycle as its coordinator workflow and campaign_cycle.status know it. */
export const CYCLE_STATES = ['starting', 'running', 'paused', 'cancelled', 'completed'] as const;
export type CycleState = (typeof CYCLE_STATES)[number];

export const isDecidedStatus = (status: StepStatusName): boolean =>
  (DECIDED_STEP_STATUSES as readonly StepStatusName[]).includes(status);

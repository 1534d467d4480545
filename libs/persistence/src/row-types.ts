import type { CycleState, CycleUnitStatus, StepStatusName } from '../../domain/src/campaign/statuses';

/**
 * Values of status columns, as their CHECK constraints allow (libs/persistence/src/migrations): the contract's lists
 * (libs/domain/src/campaign/statuses.ts), which test/integration/cycles/status-constraints.spec.ts compares with
 * PostgreSQL.
 */

/** campaign_cycle.status */
export type CycleStatus = CycleState;

/** cycle_unit.status */
export type { CycleUnitStatus };

/** unit_step_status.status: the step's status as the workflow reports it. */
export type StepStatus = StepStatusName;

/** notice_delivery.status */
export type DeliveryStatus = 'pending' | 'sent' | 'muted' | 'dead';

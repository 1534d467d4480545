import type { StepState } from '../../domain/src/submissions/follow-step';

/**
 * Values of status columns, as their CHECK constraints allow (libs/persistence/src/migrations): the types rows read
 * from those columns have. The unit workflow's own statuses are its contract's (workflows/campaign).
 */

/** campaign_cycle.status */
export type CycleStatus = 'starting' | 'running' | 'paused' | 'cancelled' | 'completed';

/** cycle_unit.status */
export type CycleUnitStatus = 'pending' | 'running' | 'paused' | 'completed' | 'cancelled';

/** unit_step_status.status: the step's status as the workflow reports it. */
export type StepStatus = StepState['status'];

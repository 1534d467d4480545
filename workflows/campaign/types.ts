/** Pure data types shared by the campaign workflows and their callers. */
import type { CyclePlan } from '../../libs/domain/src/plan/unit-plan';

export type { CyclePlan };

export type StepStatusName = 'pending' | 'open' | 'submitted' | 'returned' | 'accepted' | 'waived' | 'cancelled';

export interface UnitWorkflowInput {
  cycleId: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  unitKind: string;
  plan: CyclePlan;
}

export interface CycleWorkflowInput {
  cycleId: string;
  unitCount: number;
  /** Units started per activity call; the cycle workflow never has more than `window` calls pending. */
  batchSize: number;
  window: number;
  /** Ordinal to resume from after continue-as-new. */
  nextOrdinal?: number;
}

/** Workflow ids are derived, so a repeated start finds the running workflow instead of starting a second one. */
export const cycleWorkflowId = (cycleId: string) => `campaign-cycle/${cycleId}`;
export const unitWorkflowId = (cycleId: string, unitId: string) => `campaign-cycle/${cycleId}/unit/${unitId}`;

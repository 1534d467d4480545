/** Pure data types shared by the campaign workflows and their callers. */
import type { CycleState } from '../../libs/domain/src/campaign/statuses';
import type { CyclePlan } from '../../libs/domain/src/plan/unit-plan';

export type { CyclePlan };

export interface UnitWorkflowInput {
  cycleId: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  unitKind: string;
  plan: CyclePlan;
  /**
   * Offset of plan.timeZone from UTC in minutes (+480 for Asia/Shanghai), computed outside the workflow (no time-zone
   * library in workflow code) and used only to render local times in event summaries; absent → times shown in UTC.
   */
  utcOffsetMinutes?: number;
  /** Continue-as-new once the run's history exceeds this many events (default 2,000; tests force it lower). */
  continueAsNewAfterEvents?: number;
}

export interface CycleWorkflowInput {
  cycleId: string;
  unitCount: number;
  /** Units started per activity call; the cycle workflow never has more than `window` calls pending. */
  batchSize: number;
  window: number;
  /** Ordinal to resume from after continue-as-new. */
  nextOrdinal?: number;
  /** Continue-as-new after this many start batches in one run (default 200), so the history stays bounded. */
  batchesPerRun?: number;
  /** Events a run may reach: a broadcast that would pass it starts in a fresh run (default 3,500; tests lower it). */
  historyBudget?: number;
  /** How often the coordinator checks whether every unit workflow has finished (default 1 day). */
  completionCheckMs?: number;
  /** State carried across continue-as-new (set by the workflow itself, never by callers). */
  carried?: CycleCarriedState;
}

export interface CycleCarriedState {
  minOrdinal: number;
  maxOrdinal: number;
  started: number;
  state: CycleState;
  /** Control signals received but not yet broadcast. */
  pendingControls: CycleControl[];
}

export type CycleControl =
  | { kind: 'pause' | 'resume' | 'cancel'; actor: string; reason?: string }
  | { kind: 'extend'; actor: string; reason: string; stepKey: string; newDueAt: string };

/** The cycle coordinator's workflow type, started by name (checked against the workflow module's exports). */
export const CYCLE_WORKFLOW_TYPE = 'campaignCycleWorkflow' satisfies keyof typeof import('./campaign-cycle.workflow');

/** Workflow ids are derived, so a repeated start finds the running workflow instead of starting a second one. */
export const cycleWorkflowId = (cycleId: string) => `campaign-cycle/${cycleId}`;
export const unitWorkflowId = (cycleId: string, unitId: string) => `campaign-cycle/${cycleId}/unit/${unitId}`;

/**
 * The resolved plan: a template version applied to a cycle start date and one unit kind, with every date made
 * concrete (UTC instants as ISO strings) and every duration in milliseconds. It is the unit workflow's input, so
 * the workflow needs no template parsing, no calendar and no time-zone library — only arithmetic on numbers.
 *
 * Pure types: imported by workflows (bundled), activities and the api alike.
 */

import type { DeliverableKind } from '../deliverables/deliverable-kinds';

/** Defined by the kinds' table (libs/domain/src/deliverables/deliverable-kinds.ts); a type import, erased in bundles. */
export type { DeliverableKind };

export interface PlannedDeliverable {
  key: string;
  kind: DeliverableKind;
  title: string;
  required: boolean;
  /** attendance_hours: the minimum (48 in the 2009 campaign), checked when the stage closes. */
  minHours?: number;
  /** plan_with_items: once accepted, the plan is readable by every unit of the cycle (方案要公布，接受监督). */
  publish?: boolean;
}

export type EscalationAudience = 'unit' | 'parent' | 'office';

export interface EscalationRung {
  /** After the due instant; rung 0 is usually 0 ms: "at due → the unit". */
  afterMs: number;
  to: EscalationAudience;
  /** Reaching this rung puts the unit on the cycle's bulletin list (通报). */
  bulletin: boolean;
}

export interface PlannedStep {
  /** Unique within the plan. Recurring milestones get one step per occurrence: `semester-summary#3`. */
  key: string;
  stageKey: string;
  title: string;
  /** When the step's window opens (it opens later if gating holds the unit in an earlier stage). */
  opensAt: string;
  dueAt: string;
  /** Required steps gate leaving the stage (进度服从质量) unless waived. */
  required: boolean;
  /** The office must accept a submission; when false the first submission completes the step. */
  reviewRequired: boolean;
  deliverables: PlannedDeliverable[];
  /** Before due, e.g. [7 days, 1 day] in ms; notices for offsets already past when the step opens are skipped. */
  reminderOffsetsMs: number[];
  escalation: EscalationRung[];
  /** Set for occurrences of a recurring milestone. */
  milestone?: { series: string; occurrence: number; label: string };
}

export interface PlannedStage {
  key: string;
  title: string;
  opensAt: string;
  closesAt: string;
  /**
   * 进度服从质量 (template `gating`, default true): the unit leaves the stage only when its required steps are
   * accepted or waived. false: the stage does not hold the unit back (its open steps stay open). Absent = true.
   */
  gating?: boolean;
  steps: PlannedStep[];
}

export interface CyclePlan {
  templateKey: string;
  templateVersion: number;
  campaignName: string;
  /** IANA zone the template's local dates are in (default Asia/Shanghai); messages render dates in it. */
  timeZone: string;
  cycleStartsAt: string;
  /** The template's calendar.quietHours (local HH:mm in `timeZone`, may wrap midnight): no notice goes out inside. */
  quietHours?: { start: string; end: string };
  /** Office closures (local YYYY-MM-DD) the plan was resolved with: non-working days on top of public holidays. */
  closures?: string[];
  /** Stages in order; a unit enters stage n+1 only after leaving stage n. */
  stages: PlannedStage[];
}

export const DAY_MS = 86_400_000;

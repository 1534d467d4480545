/**
 * A unit's read-model rows at the instant its cycle starts, computed from the plan alone: the start transaction writes
 * them for every unit, so progress is complete before any unit workflow has run. It mirrors the unit workflow's first
 * activation (workflows/campaign/unit-campaign.workflow.ts: enter stage 0, leave stages that cannot hold a unit that
 * has decided nothing yet, open the steps whose window has opened); the workflow's own first write (seq ≥ 1) then
 * replaces these rows (seq 0), so a difference in instants (the workflow starts a little later) heals itself.
 *
 * Pure: no clock, no I/O.
 */
import type { CyclePlan, PlannedStage } from './unit-plan';

export interface InitialStepRow {
  stepKey: string;
  stageKey: string;
  title: string;
  required: boolean;
  status: 'pending' | 'open';
  opensAt: string;
  dueAt: string;
  /** When the step counts as opened: its window's opening, or the start instant when the window opened earlier. */
  openedAt: string | null;
}

export interface InitialProgress {
  /** The stage a unit is in at the start (null when every stage was left at once, which a real plan never does). */
  currentStage: string | null;
  steps: InitialStepRow[];
}

/** A stage a unit that has accepted and waived nothing leaves at once: gating off, or no required step. */
const holdsNobody = (stage: PlannedStage) => stage.gating === false || stage.steps.every((st) => !st.required);

export function initialProgress(plan: CyclePlan, startedAtMs: number): InitialProgress {
  let stageIndex = 0;
  while (stageIndex < plan.stages.length && holdsNobody(plan.stages[stageIndex])) stageIndex++;
  const steps: InitialStepRow[] = [];
  plan.stages.forEach((stage, index) => {
    for (const step of stage.steps) {
      const opensAtMs = Date.parse(step.opensAt);
      const open = index <= stageIndex && opensAtMs <= startedAtMs;
      steps.push({
        stepKey: step.key,
        stageKey: step.stageKey,
        title: step.title,
        required: step.required,
        status: open ? 'open' : 'pending',
        opensAt: step.opensAt,
        dueAt: step.dueAt,
        openedAt: open ? new Date(Math.max(opensAtMs, startedAtMs)).toISOString() : null,
      });
    }
  });
  return { currentStage: plan.stages[stageIndex]?.key ?? null, steps };
}

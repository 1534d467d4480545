import { Injectable } from '@nestjs/common';
import { DomainError, FieldProblem, PlannedStep } from '../../../../libs/domain/src';
import type { DeliverableEntryDto } from './submission.dto';
import { deliverableKinds, fieldProblems } from '../../../../libs/domain/src/deliverables/deliverable-kinds';
import { parseItemStepKey } from '../../../../libs/domain/src/campaign';
import { itemStepOf } from './rectification-item-steps';
import { StepContextRepository } from './step-context.repository';

export interface StepContext {
  cycleId: string;
  unitId: string;
  workflowId: string;
  step: PlannedStep;
  /** The plan's IANA zone (rectification item deadlines are local dates). */
  timeZone: string;
}

/**
 * Resolves (cycle, unit, step) against the cycle's plan for the unit's kind, and checks deliverables against it.
 * Its repository reads through Db: inside a request's transaction, on that transaction's connection.
 */
@Injectable()
export class StepContextService {
  constructor(private readonly rows: StepContextRepository) {}

  async resolve(cycleId: string, unitId: string, stepKey: string): Promise<StepContext> {
    const row = await this.rows.memberPlan(cycleId, unitId);
    if (!row) {
      throw DomainError.validation(`unit ${unitId} takes no part in cycle ${cycleId}`, [
        { field: 'unitId', problem: 'takes no part in this cycle (or the cycle is unknown)' },
      ]);
    }
    const plan = row.plan;
    const steps = plan?.stages.flatMap((s) => s.steps) ?? [];
    const timeZone = plan?.timeZone ?? 'Asia/Shanghai';
    let step = steps.find((s) => s.key === stepKey);
    // `<plan step>#item-<n>`: an item of the unit's accepted rectification plan, completed with evidence
    const item = step ? undefined : parseItemStepKey(stepKey);
    const planStep = item ? steps.find((s) => s.key === item.planStepKey) : undefined;
    if (planStep)
      step = itemStepOf(
        await this.rows.latestAcceptedContent(cycleId, unitId, planStep.key),
        stepKey,
        planStep,
        timeZone,
      );
    if (!step)
      throw DomainError.validation(`unknown step ${stepKey}`, [
        {
          field: 'stepKey',
          problem: planStep
            ? `is not an item of the unit's accepted rectification plan`
            : `is not a step of this unit's plan`,
        },
      ]);
    return { cycleId, unitId, workflowId: row.workflow_id, step, timeZone };
  }

  /**
   * Problems of the deliverables against the step. `complete` (submit): every required deliverable present with
   * everything its kind requires. Drafts: only what is present must be well-formed.
   */
  deliverableProblems(step: PlannedStep, entries: DeliverableEntryDto[], complete: boolean): FieldProblem[] {
    const problems: FieldProblem[] = [];
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      const at = `deliverables[${i}]`;
      const planned = step.deliverables.find((d) => d.key === e.key);
      if (!planned)
        return problems.push({
          field: `${at}.key`,
          problem: `is not a deliverable of step ${step.key} (expected one of: ${step.deliverables.map((d) => d.key).join(', ')})`,
        });
      if (seen.has(e.key)) return problems.push({ field: `${at}.key`, problem: 'appears twice' });
      seen.add(e.key);
      if (planned.kind !== e.kind)
        return problems.push({ field: `${at}.kind`, problem: `must be ${planned.kind} for deliverable ${e.key}` });
      if (complete && deliverableKinds[e.kind].textRequired && !e.text?.trim())
        problems.push({ field: `${at}.text`, problem: 'is required' });
      problems.push(...fieldProblems(e.kind, e.fields, `${at}.fields`, complete));
    });
    if (complete) {
      for (const d of step.deliverables.filter((d) => d.required && !seen.has(d.key))) {
        problems.push({ field: 'deliverables', problem: `required deliverable ${d.key} (${d.kind}) is missing` });
      }
    }
    return problems;
  }
}

export function throwIfProblems(what: string, problems: FieldProblem[]): void {
  if (problems.length)
    throw DomainError.validation(`${what}: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, problems);
}

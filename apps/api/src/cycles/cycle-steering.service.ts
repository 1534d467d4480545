import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, ErrorReason } from '../../../../libs/domain/src';
import type { CycleStatus } from '../../../../libs/persistence/src';
import { CycleFanoutRepository } from '../../../../libs/persistence/src/repositories/cycle-fanout.repository';
import {
  cycleCancelSignal,
  cycleExtendSignal,
  cyclePauseSignal,
  cycleResumeSignal,
  type StepView,
} from '../../../../workflows/campaign/messages';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { UnitWorkflowGateway } from '../workflow-gateway/unit-workflow.gateway';
import { CycleQueriesService } from './cycle-queries.service';
import { CycleSteeringRepository } from './cycle-steering.repository';
import type { ControlDto, ExtendDto, ReviewDto, SubmitDto, WaiveDto } from './dto/steering.dto';

type Control = 'pause' | 'resume' | 'cancel';

/** Which cycle states each control may leave, and the state it records. */
const CONTROLS: Record<Control, { from: CycleStatus[]; to: CycleStatus; signal: typeof cyclePauseSignal }> = {
  pause: { from: ['starting', 'running'], to: 'paused', signal: cyclePauseSignal },
  resume: { from: ['paused'], to: 'running', signal: cycleResumeSignal },
  cancel: { from: ['starting', 'running', 'paused'], to: 'cancelled', signal: cycleCancelSignal },
};

/**
 * The office steering a cycle: updates to one unit's workflow (answered with the step as the workflow sees it, or
 * refused with the workflow's reason → 409 with `code`), and signals to the cycle coordinator, which fans them out.
 * Everything goes through UnitWorkflowGateway (ids, deadlines, error mapping); the submission rows follow the
 * workflow through the read model (activities/campaign/submission-sync.ts), whichever road moved the step.
 */
@Injectable()
export class CycleSteeringService {
  constructor(
    private readonly steering: CycleSteeringRepository,
    private readonly cycles: CycleFanoutRepository,
    private readonly gateway: UnitWorkflowGateway,
    private readonly queries: CycleQueriesService,
    private readonly access: UnitAccessService,
  ) {}

  extendUnit(cycleId: string, unitRef: string, dto: ExtendDto, actor: string) {
    return this.update(cycleId, unitRef, (workflowId) =>
      this.gateway.extend(workflowId, { ...dto, newDueAt: iso(dto.newDueAt), actor }),
    );
  }

  waive(cycleId: string, unitRef: string, dto: WaiveDto, actor: string) {
    return this.update(cycleId, unitRef, (workflowId) => this.gateway.waive(workflowId, { ...dto, actor }));
  }

  submit(cycleId: string, unitRef: string, stepKey: string, dto: SubmitDto, actor: string) {
    const submissionId = dto.submissionId ?? randomUUID();
    return this.update(cycleId, unitRef, (workflowId) =>
      this.gateway.submit(workflowId, { stepKey, submissionId, actor }),
    );
  }

  review(cycleId: string, unitRef: string, stepKey: string, dto: ReviewDto, actor: string) {
    return this.update(cycleId, unitRef, async (workflowId) => {
      // The latest submission as the workflow knows it (the read model may lag by a moment).
      const submissionId =
        dto.submissionId ??
        (await this.gateway.status(workflowId))?.steps.find((s) => s.key === stepKey)?.lastSubmissionId;
      if (!submissionId)
        throw new DomainError(
          ErrorCode.Conflict,
          `step ${stepKey} has no submission to review`,
          [],
          ErrorReason.NotAwaitingReview,
        );
      return this.gateway.review(workflowId, {
        stepKey,
        submissionId,
        decision: dto.decision,
        comment: dto.comment,
        actor,
      });
    });
  }

  async extendAll(cycleId: string, dto: ExtendDto, actor: string) {
    const cycle = await this.liveCycle(cycleId, ['starting', 'running', 'paused']);
    if (!(await this.steering.planHasStep(cycleId, dto.stepKey)))
      throw DomainError.validation(`no step ${dto.stepKey} in this cycle`, [
        { field: 'stepKey', problem: `no step "${dto.stepKey}" in the cycle's plans` },
      ]);
    await this.gateway.signalCycle(cycle.id, cycleExtendSignal, { ...dto, newDueAt: iso(dto.newDueAt), actor });
    return { cycleId, stepKey: dto.stepKey, newDueAt: iso(dto.newDueAt), accepted: true };
  }

  async control(cycleId: string, control: Control, dto: ControlDto, actor: string) {
    const rule = CONTROLS[control];
    const cycle = await this.liveCycle(cycleId, rule.from);
    await this.gateway.signalCycle(cycle.id, rule.signal, { actor, reason: dto.reason });
    // The office's decision is recorded at once; the coordinator fans it out to the units' workflows.
    await this.cycles.setCycleStatus(cycleId, rule.to);
    return this.queries.row(cycleId);
  }

  /**
   * The unit's page plus where its workflow lives (one describe of one workflow; run id from history as fallback).
   * 404 for an unknown cycle/unit first, then 403 if `user` may not read the unit.
   */
  async unitDetail(user: AuthUser, cycleId: string, unitRef: string) {
    const member = await this.queries.member(cycleId, unitRef);
    await this.access.assertRead(user, member.unitId);
    const detail = await this.queries.unitOf(member);
    let runId: string | null = detail.history.at(-1)?.workflowRunId ?? null;
    let workflowStatus: string | null = null;
    try {
      const d = await this.gateway.describe(detail.workflowId);
      runId = d.runId;
      workflowStatus = d.status.name;
    } catch (error) {
      if ((error as Error).name !== 'WorkflowNotFoundError') workflowStatus = `unknown (${(error as Error).message})`;
    }
    const ns = this.gateway.namespace;
    const temporalUiPath = runId
      ? `/namespaces/${ns}/workflows/${encodeURIComponent(detail.workflowId)}/${runId}/history`
      : null;
    return {
      ...detail,
      workflow: { workflowId: detail.workflowId, runId, status: workflowStatus, namespace: ns, temporalUiPath },
    };
  }

  private async update(cycleId: string, unitRef: string, call: (workflowId: string) => Promise<StepView>) {
    const member = await this.queries.member(cycleId, unitRef);
    if (member.status === 'pending')
      throw new DomainError(
        ErrorCode.Conflict,
        `unit ${member.unitCode}: its workflow has not been started yet`,
        [],
        ErrorReason.WorkflowNotRunning,
      );
    return call(member.workflowId);
  }

  private async liveCycle(cycleId: string, allowed: CycleStatus[]) {
    const cycle = await this.queries.row(cycleId);
    if (!allowed.includes(cycle.status as CycleStatus)) {
      throw new DomainError(
        ErrorCode.Conflict,
        `cycle ${cycleId} is ${cycle.status}; this needs it to be ${allowed.join(' or ')}`,
      );
    }
    return cycle;
  }
}

/** Normalised to UTC (…Z), the form the workflows compare and store. */
function iso(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(+d))
    throw DomainError.validation('bad date', [{ field: 'newDueAt', problem: 'not a valid date-time' }]);
  return d.toISOString();
}

import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import type { CycleStatus } from '../../../../libs/persistence/src';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import {
  cycleCancelSignal,
  cycleExtendSignal,
  cyclePauseSignal,
  cycleResumeSignal,
  extendUpdate,
  reviewUpdate,
  submitUpdate,
  unitStatusQuery,
  waiveUpdate,
  type StepView,
} from '../../../../workflows/campaign/messages';
import { cycleWorkflowId } from '../../../../workflows/campaign/types';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { CycleQueriesService } from './cycle-queries.service';
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
 * rejected with the workflow's reason → 409), and signals to the cycle coordinator, which fans them out.
 */
@Injectable()
export class CycleSteeringService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly queries: CycleQueriesService,
    private readonly access: UnitAccessService,
  ) {}

  extendUnit(cycleId: string, unitRef: string, dto: ExtendDto, actor: string) {
    return this.update(cycleId, unitRef, (h) => h.executeUpdate(extendUpdate, { args: [{ ...dto, newDueAt: iso(dto.newDueAt), actor }] }));
  }

  waive(cycleId: string, unitRef: string, dto: WaiveDto, actor: string) {
    return this.update(cycleId, unitRef, (h) => h.executeUpdate(waiveUpdate, { args: [{ ...dto, actor }] }));
  }

  submit(cycleId: string, unitRef: string, stepKey: string, dto: SubmitDto, actor: string) {
    const submissionId = dto.submissionId ?? randomUUID();
    return this.update(cycleId, unitRef, (h) => h.executeUpdate(submitUpdate, { args: [{ stepKey, submissionId, actor }] }));
  }

  review(cycleId: string, unitRef: string, stepKey: string, dto: ReviewDto, actor: string) {
    return this.update(cycleId, unitRef, async (h) => {
      // The latest submission as the workflow knows it (the read model may lag by a moment).
      const submissionId = dto.submissionId ?? (await h.query(unitStatusQuery)).steps.find((s) => s.key === stepKey)?.lastSubmissionId;
      if (!submissionId) throw new DomainError(ErrorCode.Conflict, `step ${stepKey} has no submission to review`);
      return h.executeUpdate(reviewUpdate, { args: [{ stepKey, submissionId, decision: dto.decision, comment: dto.comment, actor }] });
    });
  }

  async extendAll(cycleId: string, dto: ExtendDto, actor: string) {
    const cycle = await this.liveCycle(cycleId, ['starting', 'running', 'paused']);
    const [known] = await this.db.query(
      `SELECT 1 FROM cycle_plan p, jsonb_array_elements(p.plan->'stages') st, jsonb_array_elements(st->'steps') s
        WHERE p.cycle_id = $1 AND s->>'key' = $2 LIMIT 1`,
      [cycleId, dto.stepKey],
    );
    if (!known) throw DomainError.validation(`no step ${dto.stepKey} in this cycle`, [{ field: 'stepKey', problem: `no step "${dto.stepKey}" in the cycle's plans` }]);
    await this.signalCycle(cycle.id, (h) => h.signal(cycleExtendSignal, { ...dto, newDueAt: iso(dto.newDueAt), actor }));
    return { cycleId, stepKey: dto.stepKey, newDueAt: iso(dto.newDueAt), accepted: true };
  }

  async control(cycleId: string, control: Control, dto: ControlDto, actor: string) {
    const rule = CONTROLS[control];
    const cycle = await this.liveCycle(cycleId, rule.from);
    await this.signalCycle(cycle.id, (h) => h.signal(rule.signal, { actor, reason: dto.reason }));
    // The office's decision is recorded at once; the coordinator fans it out to the units' workflows.
    await this.db.query('UPDATE campaign_cycle SET status = $2, updated_at = now() WHERE id = $1', [cycleId, rule.to]);
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
      const d = await this.temporal.workflow.getHandle(detail.workflowId).describe();
      runId = d.runId;
      workflowStatus = d.status.name;
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) workflowStatus = `unknown (${(error as Error).message})`;
    }
    const ns = this.temporal.options.namespace;
    const temporalUiPath = runId ? `/namespaces/${ns}/workflows/${encodeURIComponent(detail.workflowId)}/${runId}/history` : null;
    return { ...detail, workflow: { workflowId: detail.workflowId, runId, status: workflowStatus, namespace: ns, temporalUiPath } };
  }

  private async update(cycleId: string, unitRef: string, call: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<StepView>) {
    const member = await this.queries.member(cycleId, unitRef);
    if (member.status === 'pending') throw new DomainError(ErrorCode.Conflict, `unit ${member.unitCode}: its workflow has not been started yet`);
    try {
      return await call(this.temporal.workflow.getHandle(member.workflowId));
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) {
        throw new DomainError(ErrorCode.Conflict, (error.cause as Error | undefined)?.message ?? error.message);
      }
      if (error instanceof WorkflowNotFoundError) throw new DomainError(ErrorCode.Conflict, `unit ${member.unitCode}: its workflow is not running (${error.message})`);
      throw error;
    }
  }

  private async liveCycle(cycleId: string, allowed: CycleStatus[]) {
    const cycle = await this.queries.row(cycleId);
    if (!allowed.includes(cycle.status as CycleStatus)) {
      throw new DomainError(ErrorCode.Conflict, `cycle ${cycleId} is ${cycle.status}; this needs it to be ${allowed.join(' or ')}`);
    }
    return cycle;
  }

  private async signalCycle(cycleId: string, send: (h: ReturnType<Client['workflow']['getHandle']>) => Promise<void>) {
    try {
      await send(this.temporal.workflow.getHandle(cycleWorkflowId(cycleId)));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw new DomainError(ErrorCode.Conflict, `cycle ${cycleId}: its workflow is not running`);
      throw error;
    }
  }
}

/** Normalised to UTC (…Z), the form the workflows compare and store. */
function iso(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(+d)) throw DomainError.validation('bad date', [{ field: 'newDueAt', problem: 'not a valid date-time' }]);
  return d.toISOString();
}

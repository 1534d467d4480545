import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../../../libs/domain/src';
import { DECIDED_STEP_STATUSES, itemStepKey } from '../../../../libs/domain/src/campaign';
import { planItemsOf } from '../../../../libs/domain/src/rectification/plan-items';
import { CycleLookupRepository } from '../../../../libs/persistence/src/repositories/cycle-lookup.repository';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { UnitWorkflowGateway } from '../workflow-gateway/unit-workflow.gateway';
import type { ItemCountsDto, UnitRectificationDto } from './rectification.dto';
import { RectificationRepository } from './rectification.repository';

const DONE: readonly string[] = DECIDED_STEP_STATUSES;

/** One unit's rectification items with their progress: the plan's rows joined with the workflow's step rows. */
@Injectable()
export class UnitRectificationService {
  private readonly log = new Logger(UnitRectificationService.name);

  constructor(
    private readonly plans: RectificationRepository,
    private readonly cycles: CycleLookupRepository,
    private readonly gateway: UnitWorkflowGateway,
    private readonly access: UnitAccessService,
  ) {}

  async get(cycleId: string, unitId: string, user: AuthUser): Promise<UnitRectificationDto> {
    await this.access.assertRead(user, unitId);
    const member = await this.cycles.member(cycleId, unitId);
    if (!member) throw DomainError.notFound(`unit ${unitId} in cycle ${cycleId}`);
    const plans = await this.plans.acceptedItemPlansOfUnit(cycleId, unitId);
    const byKey = new Map((await this.plans.itemSteps(cycleId, unitId)).map((r) => [r.step_key, r]));
    const items = plans.flatMap((p) =>
      planItemsOf(p.content).map((it) => {
        const stepKey = itemStepKey(p.step_key, it.no);
        const r = byKey.get(stepKey);
        return {
          ...it,
          stepKey,
          status: r?.status ?? 'pending',
          dueAt: r ? new Date(r.due_at).toISOString() : null,
          escalationLevel: r?.escalation_level ?? 0,
          acceptedAt: r?.accepted_at ? new Date(r.accepted_at).toISOString() : null,
        };
      }),
    );
    return { items, counts: (await this.workflowCounts(member.workflow_id)) ?? readModelCounts(items) };
  }

  /** The workflow's roll-up uses its own clock (the one deadlines are measured by). */
  private async workflowCounts(workflowId: string): Promise<ItemCountsDto | undefined> {
    try {
      const status = await this.gateway.status(workflowId);
      if (!status) throw new Error('no such workflow');
      return status.items ?? { total: 0, open: 0, overdue: 0, completed: 0, waived: 0 };
    } catch (error) {
      this.log.warn(
        `item counts from the read model: the workflow ${workflowId} could not be asked (${(error as Error).message})`,
      );
      return undefined;
    }
  }
}

function readModelCounts(items: { status: string; dueAt: string | null }[]): ItemCountsDto {
  const now = Date.now();
  const c: ItemCountsDto = { total: items.length, open: 0, overdue: 0, completed: 0, waived: 0 };
  for (const it of items) {
    if (it.status === 'accepted') c.completed += 1;
    else if (DONE.includes(it.status)) c.waived += 1;
    else if (it.dueAt && Date.parse(it.dueAt) < now) c.overdue += 1;
    else c.open += 1;
  }
  return c;
}

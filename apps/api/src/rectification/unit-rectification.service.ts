import { Injectable, Logger } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DomainError } from '../../../../libs/domain/src';
import { ITEM_KEY_INFIX, itemStepKey } from '../../../../libs/domain/src/campaign';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { planItemsOf } from '../submissions/rectification-item-steps';
import { UnitWorkflowGateway } from '../workflow-gateway/unit-workflow.gateway';
import type { ItemCountsDto, UnitRectificationDto } from './rectification.dto';

const DONE = ['accepted', 'waived', 'cancelled'];

/** One unit's rectification items with their progress: the plan's rows joined with the workflow's step rows. */
@Injectable()
export class UnitRectificationService {
  private readonly log = new Logger(UnitRectificationService.name);

  constructor(
    private readonly db: Db,
    private readonly gateway: UnitWorkflowGateway,
    private readonly access: UnitAccessService,
  ) {}

  async get(cycleId: string, unitId: string, user: AuthUser): Promise<UnitRectificationDto> {
    await this.access.assertRead(user, unitId);
    const [member] = await this.db.query(`SELECT workflow_id FROM cycle_unit WHERE cycle_id = $1 AND unit_id = $2`, [cycleId, unitId]);
    if (!member) throw DomainError.notFound(`unit ${unitId} in cycle ${cycleId}`);
    const plans = await this.db.query(
      `SELECT DISTINCT ON (s.id) s.step_key, v.content FROM submission s
         JOIN submission_version v ON v.submission_id = s.id AND v.decision = 'accepted'
        WHERE s.cycle_id = $1 AND s.unit_id = $2 AND v.content @> '{"deliverables":[{"kind":"plan_with_items"}]}'
        ORDER BY s.id, v.version DESC`,
      [cycleId, unitId],
    );
    const rows = await this.db.query(`SELECT step_key, status, due_at, escalation_level, accepted_at FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2 AND step_key LIKE '%' || $3 || '%'`, [cycleId, unitId, ITEM_KEY_INFIX]);
    const byKey = new Map(rows.map((r: any) => [r.step_key, r]));
    const items = plans.flatMap((p: any) =>
      planItemsOf(p.content).map((it) => {
        const stepKey = itemStepKey(p.step_key, it.no);
        const r: any = byKey.get(stepKey);
        return { ...it, stepKey, status: r?.status ?? 'pending', dueAt: r ? new Date(r.due_at).toISOString() : null, escalationLevel: r?.escalation_level ?? 0, acceptedAt: r?.accepted_at ? new Date(r.accepted_at).toISOString() : null };
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
      this.log.warn(`item counts from the read model: the workflow ${workflowId} could not be asked (${(error as Error).message})`);
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

import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { planItemsOf } from '../../../../libs/domain/src/rectification/plan-items';
import { CycleLookupRepository } from '../../../../libs/persistence/src/repositories/cycle-lookup.repository';
import { hasAnyRole, OFFICE_ROLES, type AuthUser } from '../auth/roles';
import type { PublishedPlanDto } from './rectification.dto';
import { RectificationRepository } from './rectification.repository';

/**
 * 方案要公布，接受监督: a rectification plan whose template deliverable says `publish: true` is, once accepted, readable
 * by every unit of the cycle (and the office and auditors). Plans the template does not publish stay private to the
 * unit, its parent and the office (the ordinary submission endpoints).
 */
@Injectable()
export class PublishedPlansService {
  constructor(
    private readonly plans: RectificationRepository,
    private readonly cycles: CycleLookupRepository,
  ) {}

  async list(cycleId: string, user: AuthUser, onlyUnitId?: string): Promise<PublishedPlanDto[]> {
    await this.assertInCycle(cycleId, user);
    // (unit kind, step key, deliverable key) the template publishes
    const published = (await this.cycles.plans(cycleId)).flatMap(({ unit_kind, plan }) =>
      plan.stages
        .flatMap((st) => st.steps)
        .flatMap((step) =>
          step.deliverables
            .filter((d) => d.kind === 'plan_with_items' && d.publish)
            .map((d) => ({ kind: unit_kind, step: step.key, deliverable: d.key })),
        ),
    );
    if (!published.length) return [];
    const rows = await this.plans.acceptedPlans(
      cycleId,
      [...new Set(published.map((p) => p.step))],
      onlyUnitId ?? null,
    );
    const result: PublishedPlanDto[] = [];
    for (const r of rows) {
      for (const p of published.filter((x) => x.kind === r.unit_kind && x.step === r.step_key)) {
        const entry = r.content.deliverables.find((d) => d.key === p.deliverable);
        if (!entry) continue;
        result.push({
          unitId: r.unit_id,
          unitCode: r.code,
          unitName: r.name,
          stepKey: r.step_key,
          deliverableKey: p.deliverable,
          version: r.version,
          acceptedAt: new Date(r.decided_at).toISOString(),
          text: entry.text ?? null,
          items: planItemsOf({ deliverables: [entry] }),
        });
      }
    }
    return result.sort((a, b) => a.unitCode.localeCompare(b.unitCode) || a.stepKey.localeCompare(b.stepKey));
  }

  async ofUnit(cycleId: string, unitId: string, user: AuthUser): Promise<PublishedPlanDto[]> {
    const plans = await this.list(cycleId, user, unitId);
    if (!plans.length)
      throw DomainError.notFound(`a published rectification plan of unit ${unitId} in cycle ${cycleId}`);
    return plans;
  }

  /** Office and auditors read every cycle; a unit account only a cycle its own unit takes part in. */
  private async assertInCycle(cycleId: string, user: AuthUser) {
    if (!(await this.cycles.cycleExists(cycleId))) throw DomainError.notFound(`cycle ${cycleId}`);
    if (hasAnyRole(user, [...OFFICE_ROLES, 'auditor'])) return;
    const member = user.unitId ? await this.cycles.member(cycleId, user.unitId) : undefined;
    if (!member)
      throw new DomainError(
        ErrorCode.Forbidden,
        `${user.email} belongs to no unit of cycle ${cycleId}: published plans are for the cycle's units`,
      );
  }
}

import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { CyclePlan, DomainError, ErrorCode } from '../../../../libs/domain/src';
import { hasAnyRole, OFFICE_ROLES, type AuthUser } from '../auth/roles';
import { planItemsOf } from '../submissions/rectification-item-steps';
import type { PublishedPlanDto } from './rectification.dto';

/**
 * 方案要公布，接受监督: a rectification plan whose template deliverable says `publish: true` is, once accepted, readable
 * by every unit of the cycle (and the office and auditors). Plans the template does not publish stay private to the
 * unit, its parent and the office (the ordinary submission endpoints).
 */
@Injectable()
export class PublishedPlansService {
  constructor(private readonly db: Db) {}

  async list(cycleId: string, user: AuthUser, onlyUnitId?: string): Promise<PublishedPlanDto[]> {
    await this.assertInCycle(cycleId, user);
    const plans: { unit_kind: string; plan: CyclePlan }[] = await this.db.query(`SELECT unit_kind, plan FROM cycle_plan WHERE cycle_id = $1`, [cycleId]);
    // (unit kind, step key, deliverable key) the template publishes
    const published = plans.flatMap(({ unit_kind, plan }) =>
      plan.stages.flatMap((st) => st.steps).flatMap((step) => step.deliverables.filter((d) => d.kind === 'plan_with_items' && d.publish).map((d) => ({ kind: unit_kind, step: step.key, deliverable: d.key }))),
    );
    if (!published.length) return [];
    const rows = await this.db.query(
      `SELECT DISTINCT ON (s.id) s.unit_id, u.code, u.name, s.step_key, cu.unit_kind, v.version, v.decided_at, v.content
         FROM submission s
         JOIN cycle_unit cu ON cu.cycle_id = s.cycle_id AND cu.unit_id = s.unit_id
         JOIN unit u ON u.id = s.unit_id
         JOIN submission_version v ON v.submission_id = s.id AND v.decision = 'accepted'
        WHERE s.cycle_id = $1 AND s.step_key = ANY($2) AND ($3::uuid IS NULL OR s.unit_id = $3)
        ORDER BY s.id, v.version DESC`,
      [cycleId, [...new Set(published.map((p) => p.step))], onlyUnitId ?? null],
    );
    const result: PublishedPlanDto[] = [];
    for (const r of rows) {
      for (const p of published.filter((x) => x.kind === r.unit_kind && x.step === r.step_key)) {
        const entry = r.content.deliverables.find((d: { key: string }) => d.key === p.deliverable);
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
    if (!plans.length) throw DomainError.notFound(`a published rectification plan of unit ${unitId} in cycle ${cycleId}`);
    return plans;
  }

  /** Office and auditors read every cycle; a unit account only a cycle its own unit takes part in. */
  private async assertInCycle(cycleId: string, user: AuthUser) {
    const [cycle] = await this.db.query(`SELECT 1 FROM campaign_cycle WHERE id = $1`, [cycleId]);
    if (!cycle) throw DomainError.notFound(`cycle ${cycleId}`);
    if (hasAnyRole(user, [...OFFICE_ROLES, 'auditor'])) return;
    const [member] = user.unitId ? await this.db.query(`SELECT 1 FROM cycle_unit WHERE cycle_id = $1 AND unit_id = $2`, [cycleId, user.unitId]) : [];
    if (!member) throw new DomainError(ErrorCode.Forbidden, `${user.email} belongs to no unit of cycle ${cycleId}: published plans are for the cycle's units`);
  }
}

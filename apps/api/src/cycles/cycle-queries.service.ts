import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DomainError } from '../../../../libs/domain/src';
import { CycleRepository, type CycleMemberRow, type CycleRow, type CycleSummaryRow } from './cycle.repository';
import { ReadModelRepository, type StepCountRow } from './read-model.repository';

const OVERDUE_LIMIT = 500;

/** A unit in a cycle as the unit's page shows it (the cycle's time zone is on the cycle). */
export type CycleMember = Omit<CycleMemberRow, 'timeZone'>;

/** Everything the office reads about cycles comes from the read model tables — never from the workflows one by one. */
@Injectable()
export class CycleQueriesService {
  constructor(
    private readonly cycles: CycleRepository,
    private readonly readModel: ReadModelRepository,
  ) {}

  /** Newest first, each with its units by status and its overdue steps (grouped on the read model's indexes). */
  list(status?: string): Promise<CycleSummaryRow[]> {
    return this.cycles.listSummaries(status ?? null);
  }

  async get(id: string) {
    const cycle = await this.row(id);
    const plans = await this.cycles.plansWithUnitCounts(id);
    return {
      ...cycle,
      plans: plans.map(({ unitKind, units, plan }) => ({
        unitKind,
        units,
        stages: plan.stages.map((s) => ({
          key: s.key,
          title: s.title,
          opensAt: s.opensAt,
          closesAt: s.closesAt,
          steps: s.steps.map((st) => ({
            key: st.key,
            title: st.title,
            opensAt: st.opensAt,
            dueAt: st.dueAt,
            required: st.required,
          })),
        })),
      })),
    };
  }

  /** Counts per stage, step and status, units started, overdue steps and the bulletin list, as of `asOf` (default now). */
  async progress(id: string, asOf = new Date()) {
    const cycle = await this.row(id);
    const [unitStatus, unitStages, steps, overdueCount, overdue, bulletin] = await Promise.all([
      this.cycles.unitsByStatus(id),
      this.cycles.unitsByStage(id),
      this.readModel.stepCounts(id),
      this.readModel.countOverdue(id, asOf),
      this.readModel.overdueSteps(id, asOf, OVERDUE_LIMIT),
      this.readModel.bulletinUnits(id),
    ]);
    const unitsByStatus: Record<string, number> = Object.fromEntries(unitStatus.map((r) => [r.status, r.n]));
    return {
      cycleId: id,
      status: cycle.status,
      asOf: asOf.toISOString(),
      unitCount: cycle.unitCount,
      units: { started: cycle.unitCount - (unitsByStatus.pending ?? 0), byStatus: unitsByStatus },
      stages: this.byStage(steps, unitStages),
      steps: this.bySteps(steps),
      overdue: { total: overdueCount, shown: overdue.length, items: overdue },
      bulletin,
    };
  }

  private bySteps(rows: StepCountRow[]) {
    const steps = new Map<
      string,
      {
        stepKey: string;
        stageKey: string;
        title: string;
        opens: Date;
        due: Date;
        total: number;
        byStatus: Record<string, number>;
      }
    >();
    for (const r of rows) {
      const s = steps.get(r.stepKey) ?? {
        stepKey: r.stepKey,
        stageKey: r.stageKey,
        title: r.title,
        opens: r.opens,
        due: r.due,
        total: 0,
        byStatus: {} as Record<string, number>,
      };
      s.byStatus[r.status] = r.n;
      s.total += r.n;
      if (r.opens < s.opens) s.opens = r.opens;
      if (r.due < s.due) s.due = r.due;
      steps.set(r.stepKey, s);
    }
    return [...steps.values()]
      .sort((a, b) => +a.opens - +b.opens || +a.due - +b.due || a.stepKey.localeCompare(b.stepKey))
      .map(({ stepKey, stageKey, title, total, byStatus }) => ({ stepKey, stageKey, title, total, byStatus }));
  }

  private byStage(rows: StepCountRow[], unitStages: { stage: string; n: number }[]) {
    const order: string[] = [];
    for (const s of this.bySteps(rows)) if (!order.includes(s.stageKey)) order.push(s.stageKey);
    for (const u of unitStages) if (!order.includes(u.stage)) order.push(u.stage);
    return order.map((stageKey) => {
      const byStatus: Record<string, number> = {};
      for (const r of rows.filter((x) => x.stageKey === stageKey)) byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      return { stageKey, unitsInStage: unitStages.find((u) => u.stage === stageKey)?.n ?? 0, steps: byStatus };
    });
  }

  /**
   * One unit in one cycle: its steps, its history in plain words, and where to find its workflow. Takes the member
   * row already looked up (member()), so the caller can check access to the unit in between.
   */
  async unitOf(member: CycleMember) {
    const [steps, history] = await Promise.all([
      this.readModel.unitSteps(member.cycleId, member.unitId),
      this.readModel.unitEvents(member.cycleId, member.unitId),
    ]);
    return { ...member, steps, history };
  }

  /** The cycle_unit row (404 if the cycle or the unit is not known); `unitRef` is a unit id or code. */
  async member(cycleId: string, unitRef: string): Promise<CycleMember> {
    await this.row(cycleId);
    const found = await this.cycles.findMember(cycleId, unitRef);
    if (!found) throw DomainError.notFound(`unit ${unitRef} in cycle ${cycleId}`);
    const { timeZone: _zone, ...member } = found;
    return member;
  }

  async row(id: string): Promise<CycleRow> {
    if (!isUUID(id, 'loose')) throw DomainError.notFound(`cycle ${id}`);
    const cycle = await this.cycles.find(id);
    if (!cycle) throw DomainError.notFound(`cycle ${id}`);
    return cycle;
  }
}

import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DomainError } from '../../../../libs/domain/src';
import type { CyclePlan } from '../../../../libs/domain/src';
import type { CycleSummaryDto } from './dto/cycle-queries.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const OVERDUE_LIMIT = 500;

const SELECT_CYCLE = `SELECT id, name, template_key AS "templateKey", template_version AS "templateVersion", starts_at AS "startsAt",
  time_zone AS "timeZone", status, selection, unit_count AS "unitCount", workflow_id AS "workflowId", created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt" FROM campaign_cycle`;

/** Everything the office reads about cycles comes from the read model tables — never from the workflows one by one. */
@Injectable()
export class CycleQueriesService {
  constructor(private readonly db: Db) {}

  /** Newest first, each with its units by status and its overdue steps (grouped on the read model's indexes). */
  list(status?: string): Promise<CycleSummaryDto[]> {
    return this.db.query(
      `SELECT c.*,
              coalesce((SELECT jsonb_object_agg(x.status, x.n) FROM (SELECT status, count(*)::int AS n FROM cycle_unit WHERE cycle_id = c.id GROUP BY status) x), '{}') AS "unitsByStatus",
              (SELECT count(*)::int FROM unit_step_status s WHERE s.cycle_id = c.id AND s.status IN ('open', 'returned') AND s.due_at < now()) AS "overdueSteps"
         FROM (${SELECT_CYCLE} WHERE ($1::text IS NULL OR status = $1)) c ORDER BY c."createdAt" DESC`,
      [status ?? null],
    );
  }

  async get(id: string) {
    const cycle = await this.row(id);
    const plans: { unitKind: string; plan: CyclePlan; units: number }[] = await this.db.query(
      `SELECT p.unit_kind AS "unitKind", p.plan, (SELECT count(*)::int FROM cycle_unit cu WHERE cu.cycle_id = p.cycle_id AND cu.unit_kind = p.unit_kind) AS units
         FROM cycle_plan p WHERE p.cycle_id = $1 ORDER BY p.unit_kind`,
      [id],
    );
    return {
      ...cycle,
      plans: plans.map(({ unitKind, units, plan }) => ({
        unitKind,
        units,
        stages: plan.stages.map((s) => ({ key: s.key, title: s.title, opensAt: s.opensAt, closesAt: s.closesAt, steps: s.steps.map((st) => ({ key: st.key, title: st.title, opensAt: st.opensAt, dueAt: st.dueAt, required: st.required })) })),
      })),
    };
  }

  /** Counts per stage, step and status, units started, overdue steps and the bulletin list, as of `asOf` (default now). */
  async progress(id: string, asOf = new Date()) {
    const cycle = await this.row(id);
    const q = (sql: string, params: unknown[] = [id]) => this.db.query(sql, params);
    const [unitStatus, unitStages, steps, overdueCount, overdue, bulletin] = await Promise.all([
      q('SELECT status, count(*)::int AS n FROM cycle_unit WHERE cycle_id = $1 GROUP BY status'),
      q('SELECT current_stage AS stage, count(*)::int AS n FROM cycle_unit WHERE cycle_id = $1 AND current_stage IS NOT NULL GROUP BY current_stage'),
      q(`SELECT stage_key AS "stageKey", step_key AS "stepKey", min(title) AS title, status, count(*)::int AS n,
                min(opens_at) AS opens, min(due_at) AS due
           FROM unit_step_status WHERE cycle_id = $1 GROUP BY stage_key, step_key, status`),
      q(`SELECT count(*)::int AS n FROM unit_step_status WHERE cycle_id = $1 AND status IN ('open', 'returned') AND due_at < $2`, [id, asOf]),
      q(`SELECT s.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", s.stage_key AS "stageKey", s.step_key AS "stepKey",
                s.title AS "stepTitle", s.status, s.due_at AS "dueAt", s.escalation_level AS "escalationLevel",
                floor(extract(epoch FROM ($2::timestamptz - s.due_at)) / 86400)::int AS "daysOverdue"
           FROM unit_step_status s JOIN unit u ON u.id = s.unit_id
          WHERE s.cycle_id = $1 AND s.status IN ('open', 'returned') AND s.due_at < $2
          ORDER BY s.due_at, u.code LIMIT ${OVERDUE_LIMIT}`, [id, asOf]),
      q(`SELECT s.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", array_agg(s.step_key ORDER BY s.due_at) AS "stepKeys"
           FROM unit_step_status s JOIN unit u ON u.id = s.unit_id
          WHERE s.cycle_id = $1 AND s.on_bulletin GROUP BY s.unit_id, u.code, u.name ORDER BY u.code`),
    ]);
    const unitsByStatus: Record<string, number> = Object.fromEntries(unitStatus.map((r: any) => [r.status, r.n]));
    return {
      cycleId: id,
      status: cycle.status,
      asOf: asOf.toISOString(),
      unitCount: cycle.unitCount,
      units: { started: cycle.unitCount - (unitsByStatus.pending ?? 0), byStatus: unitsByStatus },
      stages: this.byStage(steps, unitStages),
      steps: this.bySteps(steps),
      overdue: { total: overdueCount[0].n, shown: overdue.length, items: overdue },
      bulletin,
    };
  }

  private bySteps(rows: any[]) {
    const steps = new Map<string, { stepKey: string; stageKey: string; title: string; opens: Date; due: Date; total: number; byStatus: Record<string, number> }>();
    for (const r of rows) {
      const s = steps.get(r.stepKey) ?? { stepKey: r.stepKey, stageKey: r.stageKey, title: r.title, opens: r.opens, due: r.due, total: 0, byStatus: {} as Record<string, number> };
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

  private byStage(rows: any[], unitStages: { stage: string; n: number }[]) {
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
  async unitOf(member: Awaited<ReturnType<CycleQueriesService['member']>>) {
    const { cycleId } = member;
    const [steps, history] = await Promise.all([
      this.db.query(
        `SELECT step_key AS "stepKey", stage_key AS "stageKey", title, required, status, opens_at AS "opensAt", due_at AS "dueAt",
                original_due_at AS "originalDueAt", opened_at AS "openedAt", submitted_at AS "submittedAt", returned_at AS "returnedAt",
                accepted_at AS "acceptedAt", waived_at AS "waivedAt", last_submission_id AS "lastSubmissionId",
                escalation_level AS "escalationLevel", on_bulletin AS "onBulletin", updated_at AS "updatedAt"
           FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2 ORDER BY opens_at, due_at, step_key`,
        [cycleId, member.unitId],
      ),
      this.db.query(
        `SELECT seq, at, kind, stage_key AS "stageKey", step_key AS "stepKey", actor, summary, detail, workflow_run_id AS "workflowRunId"
           FROM unit_event WHERE cycle_id = $1 AND unit_id = $2 ORDER BY seq`,
        [cycleId, member.unitId],
      ),
    ]);
    return { ...member, steps, history };
  }

  /** The cycle_unit row (404 if the cycle or the unit is not known); `unitRef` is a unit id or code. */
  async member(cycleId: string, unitRef: string) {
    await this.row(cycleId);
    const [m] = await this.db.query(
      `SELECT cu.cycle_id AS "cycleId", cu.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", cu.unit_kind AS "unitKind",
              cu.ordinal, cu.status, cu.current_stage AS "currentStage", cu.started_at AS "startedAt", cu.completed_at AS "completedAt",
              cu.workflow_id AS "workflowId"
         FROM cycle_unit cu JOIN unit u ON u.id = cu.unit_id
        WHERE cu.cycle_id = $1 AND ${UUID.test(unitRef) ? 'cu.unit_id = $2::uuid' : 'u.code = $2'}`,
      [cycleId, unitRef],
    );
    if (!m) throw DomainError.notFound(`unit ${unitRef} in cycle ${cycleId}`);
    return m as { cycleId: string; unitId: string; unitCode: string; unitName: string; unitKind: string; status: string; workflowId: string; [k: string]: unknown };
  }

  async row(id: string) {
    if (!UUID.test(id)) throw DomainError.notFound(`cycle ${id}`);
    const [cycle] = await this.db.query(`${SELECT_CYCLE} WHERE id = $1`, [id]);
    if (!cycle) throw DomainError.notFound(`cycle ${id}`);
    return cycle as { id: string; status: string; unitCount: number; [k: string]: unknown };
  }
}

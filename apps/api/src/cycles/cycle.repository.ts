import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import type { CyclePlan } from '../../../../libs/domain/src';
import { Db, ProgressCellsRepository, type CycleStatus, type CycleUnitStatus } from '../../../../libs/persistence/src';

/** A campaign_cycle row as the api shows it. */
export interface CycleRow {
  id: string;
  name: string;
  templateKey: string;
  templateVersion: number;
  startsAt: Date;
  timeZone: string;
  status: CycleStatus;
  /** The unit selection of the start request, as given. */
  selection: unknown;
  unitCount: number;
  workflowId: string;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

/** A cycle in the office's list: its units counted by status and its overdue steps now. */
export interface CycleSummaryRow extends CycleRow {
  unitsByStatus: Record<string, number>;
  overdueSteps: number;
}

/** The columns a repeated start request is checked against. */
export interface StartedCycleRow {
  id: string;
  templateKey: string;
  name: string;
  status: CycleStatus;
  /** The canonical start request (null for cycles started before it was kept). */
  request: Record<string, unknown> | null;
}

export interface NewCycle {
  id: string;
  name: string;
  templateId: string;
  templateKey: string;
  templateVersion: number;
  startsAt: Date;
  timeZone: string;
  selection: unknown;
  requestKey: string;
  workflowId: string;
  unitCount: number;
  createdBy: string;
  request: Record<string, unknown>;
}

/** One unit of a new cycle, in ordinal order. */
export interface NewCycleUnit {
  unitId: string;
  kind: string;
  workflowId: string;
  currentStage: string | null;
  /** The progress matrix's cell string at the start (libs/persistence/src/progress-cells.ts). */
  cells: string;
}

export interface PlanWithUnitsRow {
  unitKind: string;
  plan: CyclePlan;
  units: number;
}

/** A unit in a cycle (cycle_unit joined to its unit), with the cycle's time zone. */
export interface CycleMemberRow {
  cycleId: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  unitKind: string;
  ordinal: number;
  status: CycleUnitStatus;
  currentStage: string | null;
  startedAt: Date | null;
  completedAt: Date | null;
  workflowId: string;
  timeZone: string;
}

const SELECT_CYCLE = `SELECT id, name, template_key AS "templateKey", template_version AS "templateVersion", starts_at AS "startsAt",
  time_zone AS "timeZone", status, selection, unit_count AS "unitCount", workflow_id AS "workflowId", created_by AS "createdBy",
  created_at AS "createdAt", updated_at AS "updatedAt" FROM campaign_cycle`;

/**
 * Every statement of the api on a cycle and what the start writes with it: campaign_cycle, its plans (cycle_plan)
 * and its units (cycle_unit). Through Db: inside a transaction each runs on the transaction's connection.
 */
@Injectable()
export class CycleRepository {
  constructor(private readonly db: Db) {}

  /** Newest first, each with its units by status and its overdue steps (grouped on the read model's indexes). */
  listSummaries(status: string | null): Promise<CycleSummaryRow[]> {
    return this.db.query<CycleSummaryRow>(
      `SELECT c.*,
              coalesce((SELECT jsonb_object_agg(x.status, x.n) FROM (SELECT status, count(*)::int AS n FROM cycle_unit WHERE cycle_id = c.id GROUP BY status) x), '{}') AS "unitsByStatus",
              (SELECT count(*)::int FROM unit_step_status s WHERE s.cycle_id = c.id AND s.status IN ('open', 'returned') AND s.due_at < now()) AS "overdueSteps"
         FROM (${SELECT_CYCLE} WHERE ($1::text IS NULL OR status = $1)) c ORDER BY c."createdAt" DESC`,
      [status],
    );
  }

  async find(id: string): Promise<CycleRow | undefined> {
    return (await this.db.query<CycleRow>(`${SELECT_CYCLE} WHERE id = $1`, [id]))[0];
  }

  async findByRequestKey(requestKey: string): Promise<StartedCycleRow | undefined> {
    const rows = await this.db.query<StartedCycleRow>(
      'SELECT id, template_key AS "templateKey", name, status, request FROM campaign_cycle WHERE request_key = $1',
      [requestKey],
    );
    return rows[0];
  }

  async unitCount(id: string): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>('SELECT unit_count AS n FROM campaign_cycle WHERE id = $1', [
      id,
    ]);
    return n;
  }

  /** Records a starting cycle; false when a cycle with the same request key exists (a concurrent start won). */
  async insert(c: NewCycle): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO campaign_cycle (id, name, template_id, template_key, template_version, starts_at, time_zone, status, selection,
                                   request_key, workflow_id, unit_count, created_by, request)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'starting', $8, $9, $10, $11, $12, $13)
       ON CONFLICT (request_key) DO NOTHING RETURNING id`,
      [
        c.id,
        c.name,
        c.templateId,
        c.templateKey,
        c.templateVersion,
        c.startsAt,
        c.timeZone,
        JSON.stringify(c.selection),
        c.requestKey,
        c.workflowId,
        c.unitCount,
        c.createdBy,
        JSON.stringify(c.request),
      ],
    );
    return rows.length > 0;
  }

  /** One plan per unit kind, then their step keys and due offsets for the progress matrix. */
  async insertPlans(cycleId: string, plans: Map<string, CyclePlan>): Promise<void> {
    const kinds = [...plans.keys()];
    await this.db.query(
      `INSERT INTO cycle_plan (cycle_id, unit_kind, plan) SELECT $1, k, p FROM unnest($2::text[], $3::jsonb[]) AS t(k, p)`,
      [cycleId, kinds, kinds.map((k) => JSON.stringify(plans.get(k)))],
    );
    await new ProgressCellsRepository(this.db).fillPlanSteps(cycleId);
  }

  /** One statement whatever the size; WITH ORDINALITY numbers the units 0..n-1 in the order given. */
  async insertUnits(cycleId: string, units: NewCycleUnit[]): Promise<void> {
    await this.db.query(
      `INSERT INTO cycle_unit (cycle_id, unit_id, ordinal, unit_kind, workflow_id, status, current_stage, cells)
       SELECT $1, t.unit_id, t.n - 1, t.kind, t.workflow_id, 'pending', t.stage, t.cells
         FROM unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(unit_id, kind, workflow_id, stage, cells, n)`,
      [
        cycleId,
        units.map((u) => u.unitId),
        units.map((u) => u.kind),
        units.map((u) => u.workflowId),
        units.map((u) => u.currentStage),
        units.map((u) => u.cells),
      ],
    );
  }

  plansWithUnitCounts(cycleId: string): Promise<PlanWithUnitsRow[]> {
    return this.db.query<PlanWithUnitsRow>(
      `SELECT p.unit_kind AS "unitKind", p.plan, (SELECT count(*)::int FROM cycle_unit cu WHERE cu.cycle_id = p.cycle_id AND cu.unit_kind = p.unit_kind) AS units
         FROM cycle_plan p WHERE p.cycle_id = $1 ORDER BY p.unit_kind`,
      [cycleId],
    );
  }

  /** The plan units of `unitKind` follow in the cycle. */
  async plan(cycleId: string, unitKind: string): Promise<CyclePlan | undefined> {
    return (
      await this.db.query<{ plan: CyclePlan }>(`SELECT plan FROM cycle_plan WHERE cycle_id = $1 AND unit_kind = $2`, [
        cycleId,
        unitKind,
      ])
    )[0]?.plan;
  }

  unitsByStatus(cycleId: string): Promise<{ status: CycleUnitStatus; n: number }[]> {
    return this.db.query('SELECT status, count(*)::int AS n FROM cycle_unit WHERE cycle_id = $1 GROUP BY status', [
      cycleId,
    ]);
  }

  /** Units per stage they are in (units past every stage are not counted). */
  unitsByStage(cycleId: string): Promise<{ stage: string; n: number }[]> {
    return this.db.query(
      'SELECT current_stage AS stage, count(*)::int AS n FROM cycle_unit WHERE cycle_id = $1 AND current_stage IS NOT NULL GROUP BY current_stage',
      [cycleId],
    );
  }

  /** One unit of the cycle; `unitRef` is a unit id or code. */
  async findMember(cycleId: string, unitRef: string): Promise<CycleMemberRow | undefined> {
    const rows = await this.db.query<CycleMemberRow>(
      `SELECT cu.cycle_id AS "cycleId", cu.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", cu.unit_kind AS "unitKind",
              cu.ordinal, cu.status, cu.current_stage AS "currentStage", cu.started_at AS "startedAt", cu.completed_at AS "completedAt",
              cu.workflow_id AS "workflowId", c.time_zone AS "timeZone"
         FROM cycle_unit cu JOIN unit u ON u.id = cu.unit_id JOIN campaign_cycle c ON c.id = cu.cycle_id
        WHERE cu.cycle_id = $1 AND ${isUUID(unitRef, 'loose') ? 'cu.unit_id = $2::uuid' : 'u.code = $2'}`,
      [cycleId, unitRef],
    );
    return rows[0];
  }
}

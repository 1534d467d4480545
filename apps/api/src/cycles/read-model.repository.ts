import { Injectable } from '@nestjs/common';
import type { UnitEventBody } from '../../../../libs/domain/src/campaign';
import type { InitialStepRow } from '../../../../libs/domain/src/plan/initial-progress';
import { Db, type StepStatus } from '../../../../libs/persistence/src';

/** One step of a unit as the read model holds it (unit_step_status). */
export interface StepStatusRow {
  stepKey: string;
  stageKey: string;
  title: string;
  required: boolean;
  status: StepStatus;
  opensAt: Date;
  dueAt: Date;
  originalDueAt: Date;
  openedAt: Date | null;
  submittedAt: Date | null;
  returnedAt: Date | null;
  acceptedAt: Date | null;
  waivedAt: Date | null;
  lastSubmissionId: string | null;
  escalationLevel: number;
  onBulletin: boolean;
  updatedAt: Date;
}

/** One entry of a unit's history in plain words (unit_event). */
/** A unit_event row: one kind of the workflow's contract with its typed detail (the activity writes only those). */
export type UnitEventRow = UnitEventBody & {
  seq: number;
  at: Date;
  stageKey: string | null;
  stepKey: string | null;
  actor: string;
  summary: string;
  workflowRunId: string | null;
};

/** Units of a cycle per step and status, with the step's earliest window. */
export interface StepCountRow {
  stageKey: string;
  stepKey: string;
  title: string;
  status: StepStatus;
  n: number;
  opens: Date;
  due: Date;
}

export interface OverdueStepRow {
  unitId: string;
  unitCode: string;
  unitName: string;
  stageKey: string;
  stepKey: string;
  stepTitle: string;
  status: StepStatus;
  dueAt: Date;
  escalationLevel: number;
  daysOverdue: number;
}

/** A unit with steps on the bulletin rung. */
export interface BulletinUnitRow {
  unitId: string;
  unitCode: string;
  unitName: string;
  stepKeys: string[];
}

/** A step row the start writes for every unit of `kind`. */
export type InitialStep = InitialStepRow & { kind: string };

const STEP_COLUMNS = `step_key AS "stepKey", stage_key AS "stageKey", title, required, status, opens_at AS "opensAt", due_at AS "dueAt",
  original_due_at AS "originalDueAt", opened_at AS "openedAt", submitted_at AS "submittedAt", returned_at AS "returnedAt",
  accepted_at AS "acceptedAt", waived_at AS "waivedAt", last_submission_id AS "lastSubmissionId",
  escalation_level AS "escalationLevel", on_bulletin AS "onBulletin", updated_at AS "updatedAt"`;

/**
 * The api's statements on the read model (unit_step_status, unit_event). The unit workflows' activities write it;
 * the api only reads it, apart from the rows every unit starts with (seq 0), written by the cycle start.
 */
@Injectable()
export class ReadModelRepository {
  constructor(private readonly db: Db) {}

  /**
   * Every unit's step rows as of the start (seq 0), in one statement: the plan's steps per unit kind, joined to the
   * cycle's units by kind. Unit workflows overwrite rows as they change them (their writes carry seq ≥ 1, and a write
   * only replaces an older seq).
   */
  async insertInitialSteps(cycleId: string, rows: InitialStep[]): Promise<void> {
    const col = <K extends keyof InitialStep>(k: K) => rows.map((r) => r[k]);
    await this.db.query(
      `INSERT INTO unit_step_status (cycle_id, unit_id, step_key, stage_key, title, required, status, opens_at, due_at, original_due_at,
                                     opened_at, escalation_level, on_bulletin, seq)
       SELECT cu.cycle_id, cu.unit_id, s.step_key, s.stage_key, s.title, s.required, s.status, s.opens_at, s.due_at, s.due_at, s.opened_at, 0, false, 0
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::timestamptz[])
              AS s(unit_kind, step_key, stage_key, title, required, status, opens_at, due_at, opened_at)
         JOIN cycle_unit cu ON cu.cycle_id = $1 AND cu.unit_kind = s.unit_kind`,
      [
        cycleId,
        col('kind'),
        col('stepKey'),
        col('stageKey'),
        col('title'),
        col('required'),
        col('status'),
        col('opensAt'),
        col('dueAt'),
        col('openedAt'),
      ],
    );
  }

  stepCounts(cycleId: string): Promise<StepCountRow[]> {
    return this.db.query<StepCountRow>(
      `SELECT stage_key AS "stageKey", step_key AS "stepKey", min(title) AS title, status, count(*)::int AS n,
              min(opens_at) AS opens, min(due_at) AS due
         FROM unit_step_status WHERE cycle_id = $1 GROUP BY stage_key, step_key, status`,
      [cycleId],
    );
  }

  /** Open or returned steps of the cycle past their due instant at `asOf`. */
  async countOverdue(cycleId: string, asOf: Date): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM unit_step_status WHERE cycle_id = $1 AND status IN ('open', 'returned') AND due_at < $2`,
      [cycleId, asOf],
    );
    return n;
  }

  /** The first `limit` of them, longest overdue first. */
  overdueSteps(cycleId: string, asOf: Date, limit: number): Promise<OverdueStepRow[]> {
    return this.db.query<OverdueStepRow>(
      `SELECT s.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", s.stage_key AS "stageKey", s.step_key AS "stepKey",
              s.title AS "stepTitle", s.status, s.due_at AS "dueAt", s.escalation_level AS "escalationLevel",
              floor(extract(epoch FROM ($2::timestamptz - s.due_at)) / 86400)::int AS "daysOverdue"
         FROM unit_step_status s JOIN unit u ON u.id = s.unit_id
        WHERE s.cycle_id = $1 AND s.status IN ('open', 'returned') AND s.due_at < $2
        ORDER BY s.due_at, u.code LIMIT $3`,
      [cycleId, asOf, limit],
    );
  }

  /** Units with a step on the bulletin rung, by code; each with those steps, earliest due first. */
  bulletinUnits(cycleId: string): Promise<BulletinUnitRow[]> {
    return this.db.query<BulletinUnitRow>(
      `SELECT s.unit_id AS "unitId", u.code AS "unitCode", u.name AS "unitName", array_agg(s.step_key ORDER BY s.due_at) AS "stepKeys"
         FROM unit_step_status s JOIN unit u ON u.id = s.unit_id
        WHERE s.cycle_id = $1 AND s.on_bulletin GROUP BY s.unit_id, u.code, u.name ORDER BY u.code`,
      [cycleId],
    );
  }

  /** The unit's steps in the order they open. */
  unitSteps(cycleId: string, unitId: string): Promise<StepStatusRow[]> {
    return this.db.query<StepStatusRow>(
      `SELECT ${STEP_COLUMNS} FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2 ORDER BY opens_at, due_at, step_key`,
      [cycleId, unitId],
    );
  }

  async unitStep(cycleId: string, unitId: string, stepKey: string): Promise<StepStatusRow | undefined> {
    return (
      await this.db.query<StepStatusRow>(
        `SELECT ${STEP_COLUMNS} FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2 AND step_key = $3`,
        [cycleId, unitId, stepKey],
      )
    )[0];
  }

  /** The unit's history, in the order its workflow wrote it. */
  unitEvents(cycleId: string, unitId: string): Promise<UnitEventRow[]> {
    return this.db.query<UnitEventRow>(
      `SELECT seq, at, kind, stage_key AS "stageKey", step_key AS "stepKey", actor, summary, detail, workflow_run_id AS "workflowRunId"
         FROM unit_event WHERE cycle_id = $1 AND unit_id = $2 ORDER BY seq`,
      [cycleId, unitId],
    );
  }
}

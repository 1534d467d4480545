import { Injectable } from '@nestjs/common';
import { Db, type StepStatus } from '../../../../libs/persistence/src';

/** An overdue step of a unit, with the unit and its parent. */
export interface BulletinStepRow {
  code: string;
  name: string;
  kind: string;
  parentName: string | null;
  stepKey: string;
  title: string;
  stageKey: string;
  dueAt: Date;
  status: StepStatus;
}

export interface OverdueRow extends BulletinStepRow {
  unitId: string;
  escalationLevel: number;
  onBulletin: boolean;
}

/** `s`: unit_step_status; open or returned and past due at $2, in cycle $1. */
const OVERDUE = `s.cycle_id = $1 AND s.status IN ('open', 'returned') AND s.due_at < $2`;

/** The bulletin list's and the overdue list's reads of the read model (the count is ReadModelRepository's). */
@Injectable()
export class BulletinRepository {
  constructor(private readonly db: Db) {}

  /**
   * Overdue steps escalated to the office — on the bulletin rung (unit_step_status.on_bulletin) or with an office
   * escalation notice for the step's current due date — by unit code, then due date.
   */
  escalatedSteps(cycleId: string, asOf: Date): Promise<BulletinStepRow[]> {
    return this.db.query<BulletinStepRow>(
      `SELECT u.code, u.name, u.kind, p.name AS "parentName", s.step_key AS "stepKey", s.title, s.stage_key AS "stageKey", s.due_at AS "dueAt", s.status
         FROM unit_step_status s
         JOIN unit u ON u.id = s.unit_id
         LEFT JOIN unit p ON p.id = u.parent_id
        WHERE ${OVERDUE}
          AND (s.on_bulletin OR EXISTS (
                SELECT 1 FROM notice n WHERE n.cycle_id = s.cycle_id AND n.unit_id = s.unit_id AND n.step_key = s.step_key
                   AND n.kind = 'escalation' AND n.audience = 'office' AND n.due_at = s.due_at))
        ORDER BY u.code, s.due_at, s.step_key`,
      [cycleId, asOf],
    );
  }

  /** The first `limit` overdue steps, longest overdue first, then by unit code and step. */
  overdueSteps(cycleId: string, asOf: Date, limit: number): Promise<OverdueRow[]> {
    return this.db.query<OverdueRow>(
      `SELECT s.unit_id AS "unitId", u.code, u.name, u.kind, p.name AS "parentName", s.step_key AS "stepKey", s.title, s.stage_key AS "stageKey", s.status,
              s.due_at AS "dueAt", s.escalation_level AS "escalationLevel", s.on_bulletin AS "onBulletin"
         FROM unit_step_status s JOIN unit u ON u.id = s.unit_id LEFT JOIN unit p ON p.id = u.parent_id
        WHERE ${OVERDUE} ORDER BY s.due_at, u.code, s.step_key LIMIT $3`,
      [cycleId, asOf, limit],
    );
  }
}

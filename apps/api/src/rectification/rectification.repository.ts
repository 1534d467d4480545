import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import type { StepStatus } from '../../../../libs/persistence/src/row-types';
import type { VersionContent } from '../submissions/submission-views';
import { ITEM_KEY_INFIX } from '../../../../libs/domain/src/campaign';

/** The latest accepted version of a unit's plan step, with the unit. */
export interface AcceptedPlanRow {
  unit_id: string;
  code: string;
  name: string;
  step_key: string;
  unit_kind: string;
  version: number;
  decided_at: Date;
  content: VersionContent;
}

/** The read-model row of one rectification item's step. */
export interface ItemStepRow {
  step_key: string;
  status: StepStatus;
  due_at: Date;
  escalation_level: number;
  accepted_at: Date | null;
}

/** Reads of accepted rectification plans (submission versions) and of their items' steps (unit_step_status). */
@Injectable()
export class RectificationRepository {
  constructor(private readonly db: Db) {}

  /** The latest accepted version of each submission to one of `stepKeys` in the cycle (of one unit, or of all). */
  acceptedPlans(cycleId: string, stepKeys: string[], onlyUnitId: string | null): Promise<AcceptedPlanRow[]> {
    return this.db.query<AcceptedPlanRow>(
      `SELECT DISTINCT ON (s.id) s.unit_id, u.code, u.name, s.step_key, cu.unit_kind, v.version, v.decided_at, v.content
         FROM submission s
         JOIN cycle_unit cu ON cu.cycle_id = s.cycle_id AND cu.unit_id = s.unit_id
         JOIN unit u ON u.id = s.unit_id
         JOIN submission_version v ON v.submission_id = s.id AND v.decision = 'accepted'
        WHERE s.cycle_id = $1 AND s.step_key = ANY($2) AND ($3::uuid IS NULL OR s.unit_id = $3)
        ORDER BY s.id, v.version DESC`,
      [cycleId, stepKeys, onlyUnitId],
    );
  }

  /** The unit's accepted versions holding a plan with items: the latest of each step. */
  acceptedItemPlansOfUnit(cycleId: string, unitId: string): Promise<{ step_key: string; content: VersionContent }[]> {
    return this.db.query(
      `SELECT DISTINCT ON (s.id) s.step_key, v.content FROM submission s
         JOIN submission_version v ON v.submission_id = s.id AND v.decision = 'accepted'
        WHERE s.cycle_id = $1 AND s.unit_id = $2 AND v.content @> '{"deliverables":[{"kind":"plan_with_items"}]}'
        ORDER BY s.id, v.version DESC`,
      [cycleId, unitId],
    );
  }

  /** The unit's item steps (`<plan step>#item-<n>`) as the workflow last recorded them. */
  itemSteps(cycleId: string, unitId: string): Promise<ItemStepRow[]> {
    return this.db.query<ItemStepRow>(
      `SELECT step_key, status, due_at, escalation_level, accepted_at FROM unit_step_status WHERE cycle_id = $1 AND unit_id = $2 AND step_key LIKE '%' || $3 || '%'`,
      [cycleId, unitId, ITEM_KEY_INFIX],
    );
  }
}

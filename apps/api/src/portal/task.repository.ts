import { Injectable } from '@nestjs/common';
import type { SubmissionStatus } from '../../../../libs/domain/src/submissions/follow-step';
import { Db } from '../../../../libs/persistence/src';
import type { StepStatusRow } from '../cycles/read-model.repository';
import type { ReadableUnits } from '../units/unit.repository';

/** A unit's step with its cycle, plan titles and the unit's submission for it: one line of "my tasks". */
export interface TaskRow extends Pick<
  StepStatusRow,
  'stepKey' | 'stageKey' | 'title' | 'required' | 'status' | 'opensAt' | 'dueAt' | 'escalationLevel'
> {
  cycleId: string;
  unitId: string;
  cycleName: string;
  timeZone: string;
  campaignName: string;
  stageTitle: string | null;
  unitCode: string;
  unitName: string;
  submissionId: string | null;
  submissionStatus: SubmissionStatus | null;
  currentVersion: number;
  /** The comment of the latest return, while the submission is returned. */
  reviewComment: string | null;
  returnedAt: Date | null;
}

export interface TaskFilter {
  /** Only steps the unit still has to do something about (pending, open, submitted, returned). */
  activeOnly: boolean;
  unitId: string | null;
  readable: ReadableUnits;
}

const TASK_SELECT = `
  SELECT s.cycle_id AS "cycleId", s.unit_id AS "unitId", s.step_key AS "stepKey", s.stage_key AS "stageKey", s.title, s.required, s.status,
         s.opens_at AS "opensAt", s.due_at AS "dueAt", s.escalation_level AS "escalationLevel",
         c.name AS "cycleName", c.time_zone AS "timeZone", COALESCE(cp.plan->>'campaignName', c.name) AS "campaignName",
         (SELECT st->>'title' FROM jsonb_array_elements(cp.plan->'stages') st WHERE st->>'key' = s.stage_key LIMIT 1) AS "stageTitle",
         u.code AS "unitCode", u.name AS "unitName",
         sub.id AS "submissionId", sub.status AS "submissionStatus", COALESCE(sub.current_version, 0) AS "currentVersion",
         ret.review_comment AS "reviewComment", ret.decided_at AS "returnedAt"
    FROM unit_step_status s
    JOIN campaign_cycle c ON c.id = s.cycle_id
    JOIN cycle_unit cu ON cu.cycle_id = s.cycle_id AND cu.unit_id = s.unit_id
    JOIN unit u ON u.id = s.unit_id
    LEFT JOIN cycle_plan cp ON cp.cycle_id = s.cycle_id AND cp.unit_kind = cu.unit_kind
    LEFT JOIN submission sub ON sub.cycle_id = s.cycle_id AND sub.unit_id = s.unit_id AND sub.step_key = s.step_key
    LEFT JOIN LATERAL (
      SELECT v.review_comment, v.decided_at FROM submission_version v
       WHERE v.submission_id = sub.id AND v.decision = 'returned' ORDER BY v.version DESC LIMIT 1
    ) ret ON sub.status = 'returned'`;

/** The units' to-do list from the read model (steps of running or paused cycles, with their submissions). */
@Injectable()
export class TaskRepository {
  constructor(private readonly db: Db) {}

  /** Steps in cycles still going (starting, running, paused) of units still in them, by due date, unit code, step. */
  list(filter: TaskFilter, limit: number): Promise<TaskRow[]> {
    const params: unknown[] = [];
    const where = [`c.status IN ('starting', 'running', 'paused')`, `cu.status <> 'cancelled'`];
    if (filter.activeOnly) where.push(`s.status IN ('pending', 'open', 'submitted', 'returned')`);
    if (filter.unitId) {
      params.push(filter.unitId);
      where.push(`s.unit_id = $${params.length}`);
    }
    const scope = filter.readable('s.unit_id', params.length + 1);
    if (scope) {
      where.push(scope.sql);
      params.push(...scope.params);
    }
    return this.db.query<TaskRow>(
      `${TASK_SELECT} WHERE ${where.join(' AND ')} ORDER BY s.due_at, u.code, s.step_key LIMIT ${limit}`,
      params,
    );
  }

  /** One step of one unit, whatever its cycle's state. */
  async find(cycleId: string, unitId: string, stepKey: string): Promise<TaskRow | undefined> {
    return (
      await this.db.query<TaskRow>(`${TASK_SELECT} WHERE s.cycle_id = $1 AND s.unit_id = $2 AND s.step_key = $3`, [
        cycleId,
        unitId,
        stepKey,
      ])
    )[0];
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { CyclePlan } from '../../../../libs/domain/src';
import { Db, type Queryable } from '../../../../libs/persistence/src';
import type { VersionContent } from './submission-views';

/** A unit's part in a cycle: its workflow and the plan of its kind (null when the cycle has no plan for the kind). */
export interface CycleMemberPlanRow {
  workflow_id: string;
  plan: CyclePlan | null;
}

/**
 * The reads that resolve a submission's step (StepContextService). Through Db: inside a request's transaction they
 * run on that transaction's connection.
 */
@Injectable()
export class StepContextRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** Undefined when the unit takes no part in the cycle (or the cycle is unknown). */
  async memberPlan(cycleId: string, unitId: string): Promise<CycleMemberPlanRow | undefined> {
    const [row] = await this.db.query<CycleMemberPlanRow>(
      `SELECT cu.workflow_id, cp.plan FROM cycle_unit cu
         LEFT JOIN cycle_plan cp ON cp.cycle_id = cu.cycle_id AND cp.unit_kind = cu.unit_kind
        WHERE cu.cycle_id = $1 AND cu.unit_id = $2`,
      [cycleId, unitId],
    );
    return row;
  }

  /** The content of the newest accepted version of the unit's submission to the step; undefined when none is accepted. */
  async latestAcceptedContent(cycleId: string, unitId: string, stepKey: string): Promise<VersionContent | undefined> {
    const [version] = await this.db.query<{ content: VersionContent }>(
      `SELECT v.content FROM submission s JOIN submission_version v ON v.submission_id = s.id AND v.decision = 'accepted'
        WHERE s.cycle_id = $1 AND s.unit_id = $2 AND s.step_key = $3 ORDER BY v.version DESC LIMIT 1`,
      [cycleId, unitId, stepKey],
    );
    return version?.content;
  }
}

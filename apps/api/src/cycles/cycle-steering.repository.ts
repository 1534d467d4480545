import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';

/** The statements of the office's cycle-wide steering (cycle-steering.service.ts) that are its own. */
@Injectable()
export class CycleSteeringRepository {
  constructor(private readonly db: Db) {}

  /** Whether any plan of the cycle has a step with this key. */
  async planHasStep(cycleId: string, stepKey: string): Promise<boolean> {
    const rows = await this.db.query<{ found: number }>(
      `SELECT 1 AS found FROM cycle_plan p, jsonb_array_elements(p.plan->'stages') st, jsonb_array_elements(st->'steps') s
        WHERE p.cycle_id = $1 AND s->>'key' = $2 LIMIT 1`,
      [cycleId, stepKey],
    );
    return rows.length > 0;
  }
}

import { Injectable } from '@nestjs/common';
import type { CyclePlan } from '../../../domain/src';
import { Db } from '../db';

export interface CycleStartRow {
  starts_at: Date;
  time_zone: string;
}

export interface CycleMemberRow {
  workflow_id: string;
  unit_kind: string;
}

export interface CyclePlanRow {
  unit_kind: string;
  plan: CyclePlan;
}

/**
 * The lookups of cycles, their units and their plans that the api's features make before their own work
 * (evaluations, commitments, attendance, rectification): does the cycle exist, when does it start, is the unit in
 * it, which plan does it follow.
 */
@Injectable()
export class CycleLookupRepository {
  constructor(private readonly db: Db) {}

  async cycleExists(cycleId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM campaign_cycle WHERE id = $1`, [cycleId])).length > 0;
  }

  async unitExists(unitId: string): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM unit WHERE id = $1`, [unitId])).length > 0;
  }

  async cycleStart(cycleId: string): Promise<CycleStartRow | undefined> {
    return (
      await this.db.query<CycleStartRow>(`SELECT starts_at, time_zone FROM campaign_cycle WHERE id = $1`, [cycleId])
    )[0];
  }

  async member(cycleId: string, unitId: string): Promise<CycleMemberRow | undefined> {
    return (
      await this.db.query<CycleMemberRow>(
        `SELECT workflow_id, unit_kind FROM cycle_unit WHERE cycle_id = $1 AND unit_id = $2`,
        [cycleId, unitId],
      )
    )[0];
  }

  /** The plan the unit follows in the cycle (the one of its unit kind); undefined when the unit takes no part. */
  async planOfMember(cycleId: string, unitId: string): Promise<CyclePlan | undefined> {
    const [row] = await this.db.query<{ plan: CyclePlan }>(
      `SELECT cp.plan FROM cycle_unit cu JOIN cycle_plan cp ON cp.cycle_id = cu.cycle_id AND cp.unit_kind = cu.unit_kind WHERE cu.cycle_id = $1 AND cu.unit_id = $2`,
      [cycleId, unitId],
    );
    return row?.plan;
  }

  plans(cycleId: string): Promise<CyclePlanRow[]> {
    return this.db.query<CyclePlanRow>(`SELECT unit_kind, plan FROM cycle_plan WHERE cycle_id = $1`, [cycleId]);
  }
}

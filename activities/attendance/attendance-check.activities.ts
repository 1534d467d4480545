import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface CheckAttendanceInput {
  cycleId: string;
  unitId: string;
  stageKey: string;
  minHours: number;
  /** The instant the check stands for (ISO): the stage window's close, or the unit leaving the stage if earlier. */
  checkedAt: string;
}

export interface CheckAttendanceResult {
  hours: number;
  minHours: number;
  met: boolean;
  checkedAt: string;
}

/**
 * 党员集中活动时间不少于48个小时: sums the hours a unit logged for the cycle and records the outcome once per
 * (cycle, unit, stage). The first recorded outcome wins, so a retried activity returns what the workflow was first
 * told even if hours were logged in between — the flag in `attendance_check` and the workflow's event agree.
 */
@Injectable()
export class AttendanceCheckActivities {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async checkAttendanceHours(input: CheckAttendanceInput): Promise<CheckAttendanceResult> {
    return this.db.transaction(async (tx) => {
      const [{ hours }] = await tx.query(`SELECT COALESCE(sum(hours), 0)::float8 AS hours FROM attendance_entry WHERE cycle_id = $1 AND unit_id = $2`, [input.cycleId, input.unitId]);
      await tx.query(
        `INSERT INTO attendance_check (cycle_id, unit_id, stage_key, hours, min_hours, met, checked_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (cycle_id, unit_id, stage_key) DO NOTHING`,
        [input.cycleId, input.unitId, input.stageKey, hours, input.minHours, hours >= input.minHours, input.checkedAt],
      );
      const [row] = await tx.query(`SELECT hours::float8 AS hours, min_hours::float8 AS min_hours, met, checked_at FROM attendance_check WHERE cycle_id = $1 AND unit_id = $2 AND stage_key = $3`, [
        input.cycleId,
        input.unitId,
        input.stageKey,
      ]);
      return { hours: row.hours, minHours: row.min_hours, met: row.met, checkedAt: new Date(row.checked_at).toISOString() };
    });
  }
}

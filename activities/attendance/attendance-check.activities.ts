import { Injectable } from '@nestjs/common';
import { Db } from '../../libs/persistence/src/db';
import { AttendanceRepository } from '../../libs/persistence/src/repositories/attendance.repository';

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
  constructor(
    private readonly db: Db,
    private readonly attendance: AttendanceRepository,
  ) {}

  async checkAttendanceHours(input: CheckAttendanceInput): Promise<CheckAttendanceResult> {
    return this.db.transaction(async () => {
      const hours = await this.attendance.hoursLogged(input.cycleId, input.unitId);
      const row = await this.attendance.recordCheckOnce({ ...input, hours, met: hours >= input.minHours });
      return {
        hours: row.hours,
        minHours: row.min_hours,
        met: row.met,
        checkedAt: new Date(row.checked_at).toISOString(),
      };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { CyclePlan, DomainError, ErrorCode } from '../../../../libs/domain/src';
import { dayLimitProblem, minHoursOf, totalHours } from '../../../../libs/domain/src/attendance/attendance-hours';
import {
  AttendanceRepository,
  type AttendanceEntryRow,
} from '../../../../libs/persistence/src/repositories/attendance.repository';
import { CycleLookupRepository } from '../../../../libs/persistence/src/repositories/cycle-lookup.repository';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { AttendanceEntryDto, AttendanceSummaryDto, LogAttendanceDto } from './attendance.dto';

export interface Caller {
  user: AuthUser;
  ip: string | null;
  key: string;
}

/**
 * Members' concentrated activity hours (党员集中活动时间不少于48个小时). A unit logs its own entries (one transaction
 * with the Idempotency-Key claim and the audit row); the minimum is checked by the unit workflow when the stage
 * closes (attendance_check), and shown here next to the running total.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly attendance: AttendanceRepository,
    private readonly cycles: CycleLookupRepository,
    private readonly idempotency: IdempotencyService,
    private readonly access: UnitAccessService,
    private readonly audit: AuditService,
  ) {}

  async log(cycleId: string, unitId: string, dto: LogAttendanceDto, c: Caller) {
    // own unit only: the office reads but does not log for a unit
    if (c.user.unitId !== unitId)
      throw new DomainError(
        ErrorCode.Forbidden,
        `unit ${unitId} is not writable by ${c.user.email}: a unit logs only its own attendance`,
      );
    return this.idempotency.run(
      { actor: c.user.id, key: c.key, route: `POST /api/cycles/${cycleId}/units/${unitId}/attendance`, request: dto },
      async (m) => {
        await this.planOf(cycleId, unitId);
        const cycle = (await this.cycles.cycleStart(cycleId))!;
        const startDate = DateTime.fromJSDate(cycle.starts_at).setZone(cycle.time_zone).toISODate()!;
        if (dto.date < startDate)
          throw DomainError.validation(`date: is before the cycle starts (${startDate})`, [
            { field: 'date', problem: `is before the cycle starts (${startDate})` },
          ]);
        // A day has 24 hours: the unit's entries of one date may not add up to more (serialised per unit and cycle).
        await this.attendance.lockUnitLog(cycleId, unitId);
        const tooMany = dayLimitProblem(
          dto.date,
          await this.attendance.hoursLogged(cycleId, unitId, dto.date),
          dto.hours,
        );
        if (tooMany) throw DomainError.validation(`hours: ${tooMany.problem}`, [tooMany]);
        const id = randomUUID();
        const row = await this.attendance.insertEntry({
          id,
          cycleId,
          unitId,
          date: dto.date,
          hours: dto.hours,
          members: dto.members,
          title: dto.title.trim(),
          note: dto.note?.trim() || null,
          recordedBy: c.user.id,
        });
        const entry = toEntry(row);
        await this.audit.record(
          {
            actor: c.user,
            action: 'attendance.log',
            entity: 'attendance_entry',
            entityId: id,
            ip: c.ip,
            after: { cycleId, unitId, ...entry },
          },
          m,
        );
        return entry;
      },
    );
  }

  async summary(cycleId: string, unitId: string, user: AuthUser): Promise<AttendanceSummaryDto> {
    await this.access.assertRead(user, unitId);
    const plan = await this.planOf(cycleId, unitId);
    const entries = (await this.attendance.entries(cycleId, unitId)).map(toEntry);
    const checks = await this.attendance.checks(cycleId, unitId);
    const total = totalHours(entries);
    const minHours = minHoursOf(plan);
    return {
      entries,
      totalHours: total,
      minHours,
      metSoFar: minHours === null ? null : total >= minHours,
      checks: checks.map((r) => ({
        stageKey: r.stage_key,
        hours: r.hours,
        minHours: r.min_hours,
        met: r.met,
        checkedAt: new Date(r.checked_at).toISOString(),
      })),
    };
  }

  private async planOf(cycleId: string, unitId: string): Promise<CyclePlan> {
    const plan = await this.cycles.planOfMember(cycleId, unitId);
    if (!plan) throw DomainError.notFound(`unit ${unitId} in cycle ${cycleId}`);
    return plan;
  }
}

function toEntry(r: AttendanceEntryRow): AttendanceEntryDto {
  return {
    id: r.id,
    date: typeof r.activity_date === 'string' ? r.activity_date : localDate(r.activity_date),
    hours: Number(r.hours),
    members: r.members,
    title: r.title,
    note: r.note,
    recordedBy: r.recorded_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** node-postgres reads `date` as a local-midnight Date; print it back as the calendar date it was. */
const localDate = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

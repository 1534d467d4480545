import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { CyclePlan, DomainError, ErrorCode } from '../../../../libs/domain/src';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import type { AttendanceSummaryDto, LogAttendanceDto } from './attendance.dto';

export interface Caller {
  user: AuthUser;
  ip: string | null;
  key: string;
}

const num = (v: string | number) => Number(v);

/** Hours of all entries of one unit on one date (each entry is already at most 24: LogAttendanceDto). */
export const MAX_HOURS_PER_DAY = 24;

/**
 * Members' concentrated activity hours (党员集中活动时间不少于48个小时). A unit logs its own entries (one transaction
 * with the Idempotency-Key claim and the audit row); the minimum is checked by the unit workflow when the stage
 * closes (attendance_check), and shown here next to the running total.
 */
@Injectable()
export class AttendanceService {
  constructor(
    private readonly db: Db,
    private readonly idempotency: IdempotencyService,
    private readonly access: UnitAccessService,
    private readonly audit: AuditService,
  ) {}

  async log(cycleId: string, unitId: string, dto: LogAttendanceDto, c: Caller) {
    // own unit only: the office reads but does not log for a unit
    if (c.user.unitId !== unitId) throw new DomainError(ErrorCode.Forbidden, `unit ${unitId} is not writable by ${c.user.email}: a unit logs only its own attendance`);
    return this.idempotency.run({ actor: c.user.id, key: c.key, route: `POST /api/cycles/${cycleId}/units/${unitId}/attendance`, request: dto }, async (m) => {
      await this.planOf(m, cycleId, unitId);
      const [cycle] = await m.query(`SELECT starts_at, time_zone FROM campaign_cycle WHERE id = $1`, [cycleId]);
      const startDate = DateTime.fromJSDate(cycle.starts_at).setZone(cycle.time_zone).toISODate()!;
      if (dto.date < startDate) throw DomainError.validation(`date: is before the cycle starts (${startDate})`, [{ field: 'date', problem: `is before the cycle starts (${startDate})` }]);
      await this.assertDayHasRoom(m, cycleId, unitId, dto);
      const id = randomUUID();
      await m.query(`INSERT INTO attendance_entry (id, cycle_id, unit_id, activity_date, hours, members, title, note, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, [
        id,
        cycleId,
        unitId,
        dto.date,
        dto.hours,
        dto.members,
        dto.title.trim(),
        dto.note?.trim() || null,
        c.user.id,
      ]);
      const [entry] = (await m.query(`SELECT * FROM attendance_entry WHERE id = $1`, [id])).map(toEntry);
      await this.audit.record({ actor: c.user, action: 'attendance.log', entity: 'attendance_entry', entityId: id, ip: c.ip, after: { cycleId, unitId, ...entry } }, m);
      return entry;
    });
  }

  /** A day has 24 hours: the unit's entries of one date may not add up to more (serialised per unit and cycle). */
  private async assertDayHasRoom(m: EntityManager, cycleId: string, unitId: string, dto: LogAttendanceDto): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`attendance:${cycleId}:${unitId}`]);
    const [{ logged }] = await m.query(`SELECT coalesce(sum(hours), 0)::float8 AS logged FROM attendance_entry WHERE cycle_id = $1 AND unit_id = $2 AND activity_date = $3`, [cycleId, unitId, dto.date]);
    if (logged + dto.hours > MAX_HOURS_PER_DAY) {
      const problem = `${dto.date} already has ${logged} hours logged; at most ${MAX_HOURS_PER_DAY} hours a day (${dto.hours} more would make ${logged + dto.hours})`;
      throw DomainError.validation(`hours: ${problem}`, [{ field: 'hours', problem }]);
    }
  }

  async summary(cycleId: string, unitId: string, user: AuthUser): Promise<AttendanceSummaryDto> {
    await this.access.assertRead(user, unitId);
    const plan = await this.planOf(this.db.manager, cycleId, unitId);
    const entries = (await this.db.query(`SELECT * FROM attendance_entry WHERE cycle_id = $1 AND unit_id = $2 ORDER BY activity_date, created_at`, [cycleId, unitId])).map(toEntry);
    const checks = await this.db.query(
      `SELECT stage_key, hours::float8 AS hours, min_hours::float8 AS min_hours, met, checked_at FROM attendance_check WHERE cycle_id = $1 AND unit_id = $2 ORDER BY checked_at`,
      [cycleId, unitId],
    );
    const totalHours = Math.round(entries.reduce((sum: number, e: { hours: number }) => sum + e.hours, 0) * 100) / 100;
    const mins = plan.stages.flatMap((s) => s.steps).flatMap((s) => s.deliverables).filter((d) => d.kind === 'attendance_hours' && d.minHours !== undefined).map((d) => d.minHours!);
    const minHours = mins.length ? Math.max(...mins) : null;
    return {
      entries,
      totalHours,
      minHours,
      metSoFar: minHours === null ? null : totalHours >= minHours,
      checks: checks.map((r: any) => ({ stageKey: r.stage_key, hours: r.hours, minHours: r.min_hours, met: r.met, checkedAt: new Date(r.checked_at).toISOString() })),
    };
  }

  private async planOf(m: EntityManager, cycleId: string, unitId: string): Promise<CyclePlan> {
    const [row] = await m.query(
      `SELECT cp.plan FROM cycle_unit cu JOIN cycle_plan cp ON cp.cycle_id = cu.cycle_id AND cp.unit_kind = cu.unit_kind WHERE cu.cycle_id = $1 AND cu.unit_id = $2`,
      [cycleId, unitId],
    );
    if (!row) throw DomainError.notFound(`unit ${unitId} in cycle ${cycleId}`);
    return row.plan as CyclePlan;
  }
}

function toEntry(r: any) {
  return {
    id: r.id,
    date: typeof r.activity_date === 'string' ? r.activity_date : localDate(r.activity_date),
    hours: num(r.hours),
    members: r.members,
    title: r.title,
    note: r.note,
    recordedBy: r.recorded_by,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/** node-postgres reads `date` as a local-midnight Date; print it back as the calendar date it was. */
const localDate = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

import { Injectable } from '@nestjs/common';
import { Db } from '../db';

export interface AttendanceEntryRow {
  id: string;
  cycle_id: string;
  unit_id: string;
  /** node-postgres reads `date` as a local-midnight Date. */
  activity_date: Date | string;
  /** numeric(6,2): a string from the driver. */
  hours: string | number;
  members: number;
  title: string;
  note: string | null;
  recorded_by: string;
  created_at: Date;
}

export interface AttendanceCheckRow {
  stage_key: string;
  hours: number;
  min_hours: number;
  met: boolean;
  checked_at: Date;
}

/**
 * attendance_entry (what a unit logs, the api) and attendance_check (the outcome the unit workflow is told once per
 * stage, the attendance activity). Through Db: inside a transaction every statement runs on its connection.
 */
@Injectable()
export class AttendanceRepository {
  constructor(private readonly db: Db) {}

  async insertEntry(e: {
    id: string;
    cycleId: string;
    unitId: string;
    date: string;
    hours: number;
    members: number;
    title: string;
    note: string | null;
    recordedBy: string;
  }): Promise<AttendanceEntryRow> {
    const [row] = await this.db.query<AttendanceEntryRow>(
      `INSERT INTO attendance_entry (id, cycle_id, unit_id, activity_date, hours, members, title, note, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [e.id, e.cycleId, e.unitId, e.date, e.hours, e.members, e.title, e.note, e.recordedBy],
    );
    return row;
  }

  entries(cycleId: string, unitId: string): Promise<AttendanceEntryRow[]> {
    return this.db.query<AttendanceEntryRow>(
      `SELECT * FROM attendance_entry WHERE cycle_id = $1 AND unit_id = $2 ORDER BY activity_date, created_at`,
      [cycleId, unitId],
    );
  }

  /** Serialises the unit's logging in the cycle until the transaction ends (two entries of one day cannot race). */
  async lockUnitLog(cycleId: string, unitId: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`attendance:${cycleId}:${unitId}`]);
  }

  /** Hours of the unit's entries: of one date, or of the whole cycle. */
  async hoursLogged(cycleId: string, unitId: string, date?: string): Promise<number> {
    const [row] = await this.db.query<{ hours: number }>(
      `SELECT coalesce(sum(hours), 0)::float8 AS hours FROM attendance_entry WHERE cycle_id = $1 AND unit_id = $2 AND ($3::date IS NULL OR activity_date = $3)`,
      [cycleId, unitId, date ?? null],
    );
    return row.hours;
  }

  checks(cycleId: string, unitId: string): Promise<AttendanceCheckRow[]> {
    return this.db.query<AttendanceCheckRow>(
      `SELECT stage_key, hours::float8 AS hours, min_hours::float8 AS min_hours, met, checked_at FROM attendance_check WHERE cycle_id = $1 AND unit_id = $2 ORDER BY checked_at`,
      [cycleId, unitId],
    );
  }

  /** Records the stage's outcome unless one is recorded already (the first wins), and returns the recorded one. */
  async recordCheckOnce(c: {
    cycleId: string;
    unitId: string;
    stageKey: string;
    hours: number;
    minHours: number;
    met: boolean;
    checkedAt: string;
  }): Promise<AttendanceCheckRow> {
    await this.db.query(
      `INSERT INTO attendance_check (cycle_id, unit_id, stage_key, hours, min_hours, met, checked_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (cycle_id, unit_id, stage_key) DO NOTHING`,
      [c.cycleId, c.unitId, c.stageKey, c.hours, c.minHours, c.met, c.checkedAt],
    );
    const [row] = await this.db.query<AttendanceCheckRow>(
      `SELECT stage_key, hours::float8 AS hours, min_hours::float8 AS min_hours, met, checked_at FROM attendance_check WHERE cycle_id = $1 AND unit_id = $2 AND stage_key = $3`,
      [c.cycleId, c.unitId, c.stageKey],
    );
    return row;
  }
}

import { Injectable } from '@nestjs/common';
import type { ConfirmingEvent } from '../../../domain/src/cycles/steered-status';
import { Db } from '../db';
import type { CycleStatus, CycleUnitStatus } from '../entities';
import { ProgressCellsRepository } from './progress-cells.repository';

export interface OrdinalRangeRow {
  minOrdinal: number;
  maxOrdinal: number;
  count: number;
}

/** A cycle unit of an ordinal range, as its workflow is started. */
export interface UnitToStartRow {
  unit_id: string;
  unit_kind: string;
  code: string;
  name: string;
}

export interface CycleUnitRefRow {
  unit_id: string;
}

/** A status a cycle-wide control puts on the units whose signal Temporal accepted, and the unit event that confirms it. */
export interface SteeredStatus {
  /** Only units in one of these statuses move (a unit already there, or finished, keeps its row). */
  from: CycleUnitStatus[];
  to: CycleUnitStatus;
  /** The event kind the unit's own write carries once its workflow has applied the signal. */
  confirmedBy: ConfirmingEvent;
}

/**
 * The cycle coordinator's statements (activities/campaign/cycle-fanout.activities.ts) and the cycle status the api
 * records when the office steers a cycle. Used by the worker and the api, hence in libs/persistence.
 */
@Injectable()
export class CycleFanoutRepository {
  constructor(private readonly db: Db) {}

  /** Ordinals the cycle's units carry (the api numbers them; 0- or 1-based both work); an empty cycle is 0..-1. */
  async ordinalRange(cycleId: string): Promise<OrdinalRangeRow> {
    const [row] = await this.db.query<{ min: number | null; max: number | null; count: number }>(
      `SELECT min(ordinal)::int AS min, max(ordinal)::int AS max, count(*)::int AS count FROM cycle_unit WHERE cycle_id = $1`,
      [cycleId],
    );
    return row.count
      ? { minOrdinal: row.min!, maxOrdinal: row.max!, count: row.count }
      : { minOrdinal: 0, maxOrdinal: -1, count: 0 };
  }

  /** The units of ordinals [from, to), in ordinal order. */
  unitsToStart(cycleId: string, fromOrdinal: number, toOrdinal: number): Promise<UnitToStartRow[]> {
    return this.db.query<UnitToStartRow>(
      `SELECT cu.unit_id, cu.unit_kind, u.code, u.name
         FROM cycle_unit cu JOIN unit u ON u.id = cu.unit_id
        WHERE cu.cycle_id = $1 AND cu.ordinal >= $2 AND cu.ordinal < $3
        ORDER BY cu.ordinal`,
      [cycleId, fromOrdinal, toOrdinal],
    );
  }

  /** Units of [from, to) still pending are running now (their workflows were started, or already existed). */
  async markStarted(cycleId: string, fromOrdinal: number, toOrdinal: number): Promise<void> {
    await this.db.query(
      `UPDATE cycle_unit SET status = 'running', updated_at = now()
        WHERE cycle_id = $1 AND ordinal >= $2 AND ordinal < $3 AND status = 'pending'`,
      [cycleId, fromOrdinal, toOrdinal],
    );
  }

  /** The units of ordinals [from, to), in ordinal order. */
  unitsInRange(cycleId: string, fromOrdinal: number, toOrdinal: number): Promise<CycleUnitRefRow[]> {
    return this.db.query<CycleUnitRefRow>(
      `SELECT unit_id FROM cycle_unit WHERE cycle_id = $1 AND ordinal >= $2 AND ordinal < $3 ORDER BY ordinal`,
      [cycleId, fromOrdinal, toOrdinal],
    );
  }

  /**
   * The status a control's signal will give these units (the signal is in their history), shown before their
   * workflows write it. The row remembers the event that will confirm it (`awaiting_events`, in signal order), so a
   * write the unit made before it applied the signal cannot put the old status back (recordUnitTransition).
   */
  async markSteered(cycleId: string, unitIds: string[], steered: SteeredStatus): Promise<void> {
    if (!unitIds.length) return;
    await this.db.query(
      `UPDATE cycle_unit SET status = $4, awaiting_events = array_append(awaiting_events, $5), updated_at = now()
        WHERE cycle_id = $1 AND unit_id = ANY($2::uuid[]) AND status = ANY($3::text[])`,
      [cycleId, unitIds, steered.from, steered.to, steered.confirmedBy],
    );
  }

  /**
   * A cycle-wide extension shown on these units' step rows before their workflows write it: the steps a workflow
   * extends (not accepted, waived or cancelled, the new due date still ahead, the unit not finished), with the
   * matrix cells recomputed. The unit's own write of the extension follows with the same due date.
   */
  async markExtended(cycleId: string, unitIds: string[], stepKey: string, newDueAt: string): Promise<void> {
    if (!unitIds.length) return;
    const changed = await this.db.query<CycleUnitRefRow>(
      `UPDATE unit_step_status s SET due_at = $4, updated_at = now()
         FROM cycle_unit cu
        WHERE s.cycle_id = $1 AND s.unit_id = ANY($2::uuid[]) AND s.step_key = $3
          AND s.status NOT IN ('accepted', 'waived', 'cancelled') AND s.due_at <> $4::timestamptz AND $4::timestamptz > now()
          AND cu.cycle_id = s.cycle_id AND cu.unit_id = s.unit_id AND cu.status IN ('running', 'paused')
        RETURNING s.unit_id`,
      [cycleId, unitIds, stepKey, newDueAt],
    );
    if (changed.length)
      await new ProgressCellsRepository(this.db).refreshUnits(
        cycleId,
        changed.map((r) => r.unit_id),
      );
  }

  /** Units of [from, to) whose workflow was never started are cancelled outright. */
  async cancelPending(cycleId: string, fromOrdinal: number, toOrdinal: number): Promise<void> {
    await this.db.query(
      `UPDATE cycle_unit SET status = 'cancelled', completed_at = now(), updated_at = now()
        WHERE cycle_id = $1 AND ordinal >= $2 AND ordinal < $3 AND status = 'pending'`,
      [cycleId, fromOrdinal, toOrdinal],
    );
  }

  async setCycleStatus(cycleId: string, status: CycleStatus): Promise<void> {
    await this.db.query(`UPDATE campaign_cycle SET status = $2, updated_at = now() WHERE id = $1`, [cycleId, status]);
  }

  /** Units whose workflow has not finished yet, per the read model. */
  async countUnfinished(cycleId: string): Promise<number> {
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM cycle_unit WHERE cycle_id = $1 AND status NOT IN ('completed', 'cancelled')`,
      [cycleId],
    );
    return row.n;
  }
}

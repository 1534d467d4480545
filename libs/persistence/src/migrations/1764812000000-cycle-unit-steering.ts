import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * cycle_unit.seq: the seq of the unit's last write applied to the row, so a retried or late older write changes
 * nothing. cycle_unit.awaiting_events: the unit events that will confirm the cycle-wide controls a fan-out batch
 * already shows on the row (libs/domain/src/cycles/steered-status.ts).
 */
export class CycleUnitSteering1764812000000 implements MigrationInterface {
  name = 'CycleUnitSteering1764812000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE cycle_unit ADD COLUMN seq int NOT NULL DEFAULT 0, ADD COLUMN awaiting_events text[] NOT NULL DEFAULT '{}'`,
    );
    await q.query(
      `UPDATE cycle_unit cu SET seq = e.seq FROM (SELECT cycle_id, unit_id, max(seq) AS seq FROM unit_event GROUP BY cycle_id, unit_id) e
        WHERE e.cycle_id = cu.cycle_id AND e.unit_id = cu.unit_id`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE cycle_unit DROP COLUMN seq, DROP COLUMN awaiting_events`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class Diagnostics1763700000000 implements MigrationInterface {
  name = 'Diagnostics1763700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE diagnostic_round_trip (
        id uuid PRIMARY KEY,
        message text NOT NULL,
        workflow_id text NOT NULL,
        fired_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE diagnostic_round_trip`);
  }
}

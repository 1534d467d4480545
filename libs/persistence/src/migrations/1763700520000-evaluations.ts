import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Anonymous evaluations (评议 / 三测评 / 满意度测评). Tokens are stored only as sha-256 hashes, in a table with no
 * link to the answers: a response row carries the evaluation, the unit and the answers — no token, no timestamp, a
 * random id — so neither the office nor a database reader can tell who answered what. A token knows only whether
 * it has been used, which is all a reminder to non-respondents needs.
 */
export class Evaluations1763700520000 implements MigrationInterface {
  name = 'Evaluations1763700520000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evaluation (
        id uuid PRIMARY KEY,
        title text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('mass_evaluation', 'three_evaluations', 'satisfaction', 'leadership_rating')),
        cycle_id uuid REFERENCES campaign_cycle(id),
        form jsonb NOT NULL,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        created_by uuid REFERENCES app_user(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK (closes_at > opens_at)
      )`);
    await q.query(`
      CREATE TABLE evaluation_token (
        token_hash text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
        evaluation_id uuid NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit(id),
        batch_id uuid NOT NULL,
        recipient text,
        used boolean NOT NULL DEFAULT false,
        reminders int NOT NULL DEFAULT 0,
        last_reminded_at timestamptz
      )`);
    await q.query(`CREATE INDEX evaluation_token_unit_idx ON evaluation_token (evaluation_id, unit_id, used)`);
    await q.query(`
      CREATE TABLE evaluation_response (
        id uuid PRIMARY KEY,
        evaluation_id uuid NOT NULL REFERENCES evaluation(id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit(id),
        answers jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX evaluation_response_unit_idx ON evaluation_response (evaluation_id, unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['evaluation_response', 'evaluation_token', 'evaluation']) await q.query(`DROP TABLE ${t}`);
  }
}

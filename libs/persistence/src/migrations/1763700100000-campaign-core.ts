import { MigrationInterface, QueryRunner } from 'typeorm';

/** Templates, units, cycles and the per-unit read model that dashboards query instead of workflows. */
export class CampaignCore1763700100000 implements MigrationInterface {
  name = 'CampaignCore1763700100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE campaign_template (
        id uuid PRIMARY KEY,
        key text NOT NULL,
        version int NOT NULL,
        name text NOT NULL,
        document jsonb NOT NULL,
        checksum text NOT NULL,
        source text NOT NULL CHECK (source IN ('builtin', 'api')),
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (key, version),
        UNIQUE (key, checksum)
      )`);
    await q.query(`
      CREATE TABLE unit (
        id uuid PRIMARY KEY,
        code text NOT NULL UNIQUE,
        name text NOT NULL,
        kind text NOT NULL,
        parent_id uuid REFERENCES unit(id) DEFERRABLE INITIALLY DEFERRED,
        secretary_name text,
        email text,
        phone text,
        webhook_url text,
        contacts jsonb NOT NULL DEFAULT '[]',
        time_zone text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX unit_parent_idx ON unit (parent_id)`);
    await q.query(`CREATE INDEX unit_kind_idx ON unit (kind)`);
    await q.query(`
      CREATE TABLE campaign_cycle (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        template_id uuid NOT NULL REFERENCES campaign_template(id),
        template_key text NOT NULL,
        template_version int NOT NULL,
        starts_at timestamptz NOT NULL,
        time_zone text NOT NULL,
        status text NOT NULL CHECK (status IN ('starting', 'running', 'paused', 'cancelled', 'completed')),
        selection jsonb NOT NULL,
        request_key text NOT NULL UNIQUE,
        workflow_id text NOT NULL UNIQUE,
        unit_count int NOT NULL,
        created_by text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE cycle_plan (
        cycle_id uuid NOT NULL REFERENCES campaign_cycle(id) ON DELETE CASCADE,
        unit_kind text NOT NULL,
        plan jsonb NOT NULL,
        PRIMARY KEY (cycle_id, unit_kind)
      )`);
    await q.query(`
      CREATE TABLE cycle_unit (
        cycle_id uuid NOT NULL REFERENCES campaign_cycle(id) ON DELETE CASCADE,
        unit_id uuid NOT NULL REFERENCES unit(id),
        ordinal int NOT NULL,
        unit_kind text NOT NULL,
        workflow_id text NOT NULL UNIQUE,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'paused', 'completed', 'cancelled')),
        current_stage text,
        started_at timestamptz,
        completed_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cycle_id, unit_id),
        UNIQUE (cycle_id, ordinal)
      )`);
    await q.query(`
      CREATE TABLE unit_step_status (
        cycle_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        step_key text NOT NULL,
        stage_key text NOT NULL,
        title text NOT NULL,
        required boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('pending', 'open', 'submitted', 'returned', 'accepted', 'waived', 'cancelled')),
        opens_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        original_due_at timestamptz NOT NULL,
        opened_at timestamptz,
        submitted_at timestamptz,
        returned_at timestamptz,
        accepted_at timestamptz,
        waived_at timestamptz,
        last_submission_id text,
        escalation_level int NOT NULL DEFAULT 0,
        on_bulletin boolean NOT NULL DEFAULT false,
        seq int NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (cycle_id, unit_id, step_key),
        FOREIGN KEY (cycle_id, unit_id) REFERENCES cycle_unit(cycle_id, unit_id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX unit_step_status_cycle_status_idx ON unit_step_status (cycle_id, step_key, status)`);
    await q.query(
      `CREATE INDEX unit_step_status_due_idx ON unit_step_status (cycle_id, due_at) WHERE status IN ('open', 'returned')`,
    );
    await q.query(`
      CREATE TABLE unit_event (
        id bigserial PRIMARY KEY,
        cycle_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        seq int NOT NULL,
        kind text NOT NULL,
        stage_key text,
        step_key text,
        at timestamptz NOT NULL,
        actor text NOT NULL,
        summary text NOT NULL,
        detail jsonb NOT NULL DEFAULT '{}',
        workflow_run_id text,
        UNIQUE (cycle_id, unit_id, seq)
      )`);
    await q.query(`
      CREATE TABLE notice (
        id bigserial PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        cycle_id uuid NOT NULL,
        unit_id uuid NOT NULL,
        step_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('reminder', 'due', 'escalation')),
        occurrence int NOT NULL,
        rung int,
        audience text NOT NULL CHECK (audience IN ('unit', 'parent', 'office')),
        scheduled_for timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notice_cycle_unit_idx ON notice (cycle_id, unit_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'notice',
      'unit_event',
      'unit_step_status',
      'cycle_unit',
      'cycle_plan',
      'campaign_cycle',
      'unit',
      'campaign_template',
    ]) {
      await q.query(`DROP TABLE ${t}`);
    }
  }
}

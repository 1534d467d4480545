import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts with roles (unit roles are bound to one unit) and the append-only audit log of every write. */
export class AuthAudit1763700500000 implements MigrationInterface {
  name = 'AuthAudit1763700500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE app_user (
        id uuid PRIMARY KEY,
        email text NOT NULL,
        display_name text NOT NULL,
        password_hash text NOT NULL,
        roles text[] NOT NULL CHECK (
          cardinality(roles) > 0
          AND roles <@ ARRAY['office_admin', 'office_reviewer', 'unit_secretary', 'unit_submitter', 'auditor']::text[]
        ),
        unit_id uuid REFERENCES unit(id),
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        -- unit roles act for exactly one unit; office roles and auditors for none
        CHECK ((unit_id IS NOT NULL) = (roles && ARRAY['unit_secretary', 'unit_submitter']::text[]))
      )`);
    await q.query(`CREATE UNIQUE INDEX app_user_email_idx ON app_user (lower(email))`);
    await q.query(`CREATE INDEX app_user_unit_idx ON app_user (unit_id)`);
    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        actor_id uuid,
        actor_email text,
        actor_roles text[] NOT NULL DEFAULT '{}',
        action text NOT NULL,
        entity text NOT NULL,
        entity_id text,
        ip text,
        before jsonb,
        after jsonb
      )`);
    await q.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, at)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP TABLE app_user`);
  }
}

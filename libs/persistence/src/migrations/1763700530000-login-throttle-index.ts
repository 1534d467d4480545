import { MigrationInterface, QueryRunner } from 'typeorm';

/** Login throttling counts recent failed attempts per e-mail in audit_log. */
export class LoginThrottleIndex1763700530000 implements MigrationInterface {
  name = 'LoginThrottleIndex1763700530000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX audit_log_failed_login_idx ON audit_log (lower(actor_email), at) WHERE action = 'auth.login_failed'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX audit_log_failed_login_idx`);
  }
}

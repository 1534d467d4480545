import { MigrationInterface, QueryRunner } from 'typeorm';

/** Fields of a unit contact that hold a credential (a robot key / access_token in the URL, a signing secret). */
const SECRET_CONTACT_FIELDS = ['wecomWebhook', 'dingtalkWebhook', 'dingtalkSecret', 'webhookUrl'];

/**
 * Security hardening (issue 9):
 * - login_throttle: rate-limiter-flexible's table (RateLimiterPostgres), so login slow-downs survive api restarts;
 * - app_user.token_version: carried in every token; bumped on password change and deactivation, which ends every
 *   token issued before;
 * - unit_secret: robot/webhook URLs and signing secrets, kept apart from the unit row that readers see. Existing
 *   secrets move out of unit.webhook_url and unit.contacts (ref = `webhookUrl` or `contacts[<i>].<field>`).
 */
export class SecurityHardening1764100000000 implements MigrationInterface {
  name = 'SecurityHardening1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE login_throttle (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint)`,
    );
    await q.query(`ALTER TABLE app_user ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
    await q.query(`
      CREATE TABLE unit_secret (
        unit_id uuid NOT NULL REFERENCES unit(id) ON DELETE CASCADE,
        ref text NOT NULL CHECK (ref = 'webhookUrl' OR ref ~ '^contacts\\[[0-9]+\\]\\.(wecomWebhook|dingtalkWebhook|dingtalkSecret|webhookUrl)$'),
        value text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (unit_id, ref)
      )`);
    await q.query(
      `INSERT INTO unit_secret (unit_id, ref, value) SELECT id, 'webhookUrl', webhook_url FROM unit WHERE webhook_url IS NOT NULL`,
    );
    await q.query(
      `INSERT INTO unit_secret (unit_id, ref, value)
       SELECT u.id, format('contacts[%s].%s', c.i - 1, f), c.contact ->> f
         FROM unit u, jsonb_array_elements(u.contacts) WITH ORDINALITY AS c(contact, i), unnest($1::text[]) AS f
        WHERE c.contact ? f`,
      [SECRET_CONTACT_FIELDS],
    );
    await q.query(
      `UPDATE unit SET webhook_url = NULL,
         contacts = coalesce((SELECT jsonb_agg(c.contact - $1::text[] ORDER BY c.i) FROM jsonb_array_elements(contacts) WITH ORDINALITY AS c(contact, i)), '[]')`,
      [SECRET_CONTACT_FIELDS],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE unit u SET webhook_url = s.value FROM unit_secret s WHERE s.unit_id = u.id AND s.ref = 'webhookUrl'`,
    );
    await q.query(
      `UPDATE unit u SET contacts = (
         SELECT jsonb_agg(c.contact || coalesce((SELECT jsonb_object_agg(substring(s.ref from '\\.(\\w+)$'), s.value) FROM unit_secret s
                                                  WHERE s.unit_id = u.id AND s.ref LIKE format('contacts[%s].%%', c.i - 1)), '{}') ORDER BY c.i)
           FROM jsonb_array_elements(u.contacts) WITH ORDINALITY AS c(contact, i))
       WHERE jsonb_array_length(u.contacts) > 0`,
    );
    await q.query(`DROP TABLE unit_secret`);
    await q.query(`ALTER TABLE app_user DROP COLUMN token_version`);
    await q.query(`DROP TABLE login_throttle`);
  }
}

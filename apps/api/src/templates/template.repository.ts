import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';

export type TemplateSource = 'builtin' | 'api';

/** A version of a template as listed (without its document). */
export interface TemplateListRow {
  key: string;
  version: number;
  name: string;
  checksum: string;
  source: TemplateSource;
  createdBy: string | null;
  createdAt: Date;
}

/** A stored version with its document as written. `id` is what campaign_cycle.template_id references. */
export interface TemplateRow extends TemplateListRow {
  id: string;
  document: unknown;
}

export type NewTemplateVersion = Omit<TemplateRow, 'createdAt'>;

const LIST_COLUMNS = `key, version, name, checksum, source, created_by AS "createdBy", created_at AS "createdAt"`;

/** Every statement on campaign_template (one row per version of a key). */
@Injectable()
export class TemplateRepository {
  constructor(private readonly db: Db) {}

  /** Serialises saves of one key until the transaction ends (call inside Db.transaction). */
  async lockKey(key: string): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtext('campaign_template:' || $1))`, [key]);
  }

  async findByChecksum(key: string, checksum: string): Promise<{ id: string; version: number } | undefined> {
    return (
      await this.db.query<{ id: string; version: number }>(
        `SELECT id, version FROM campaign_template WHERE key = $1 AND checksum = $2`,
        [key, checksum],
      )
    )[0];
  }

  /** The version number a new version of `key` gets (1 for a new key). */
  async nextVersion(key: string): Promise<number> {
    const [{ next }] = await this.db.query<{ next: number }>(
      `SELECT coalesce(max(version), 0) + 1 AS next FROM campaign_template WHERE key = $1`,
      [key],
    );
    return next;
  }

  /** The latest version number of `key`, null when there is no such template. */
  async latestVersion(key: string): Promise<number | null> {
    const [known] = await this.db.query<{ latest: number | null }>(
      'SELECT max(version) AS latest FROM campaign_template WHERE key = $1',
      [key],
    );
    return known?.latest ?? null;
  }

  async insert(t: NewTemplateVersion): Promise<void> {
    await this.db.query(
      `INSERT INTO campaign_template (id, key, version, name, document, checksum, source, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [t.id, t.key, t.version, t.name, JSON.stringify(t.document), t.checksum, t.source, t.createdBy],
    );
  }

  /** The latest version of every key. */
  listLatest(): Promise<TemplateListRow[]> {
    return this.db.query<TemplateListRow>(
      `SELECT DISTINCT ON (key) ${LIST_COLUMNS} FROM campaign_template ORDER BY key, version DESC`,
    );
  }

  listVersions(key: string): Promise<TemplateListRow[]> {
    return this.db.query<TemplateListRow>(
      `SELECT ${LIST_COLUMNS} FROM campaign_template WHERE key = $1 ORDER BY version`,
      [key],
    );
  }

  /** A stored version (the latest when `version` is null). */
  async findVersion(key: string, version: number | null): Promise<TemplateRow | undefined> {
    const rows = await this.db.query<TemplateRow>(
      `SELECT id, ${LIST_COLUMNS}, document FROM campaign_template
        WHERE key = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
      [key, version],
    );
    return rows[0];
  }
}

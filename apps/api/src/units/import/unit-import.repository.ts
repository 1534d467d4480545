import { Injectable } from '@nestjs/common';
import { Db } from '../../../../../libs/persistence/src';
import type { UnitContactFields, UnitNodeRow, UnitRow } from '../unit.repository';

/** The stored values an import row may keep (an absent optional field keeps what is stored). */
export type StoredUnitRow = Omit<UnitRow, 'name' | 'kind'>;

/** A unit row as the import writes it (insert, or update of the unit with that code). */
export type UnitUpsert = UnitNodeRow & UnitContactFields;

export interface UnitSecretKey {
  unitId: string;
  ref: string;
}

/** Serialises imports: each one validates against the tree as it is, so two must not interleave. */
const IMPORT_LOCK = 7_363_001;

/**
 * The unit import's statements on unit and unit_secret. Call them inside one Db transaction: the lock, the checks
 * and the writes then share its connection, and the lock is held until it ends.
 */
@Injectable()
export class UnitImportRepository {
  constructor(private readonly db: Db) {}

  /** Waits for any other import to commit or roll back (transaction-scoped advisory lock). */
  async lockImports(): Promise<void> {
    await this.db.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
  }

  /** The whole tree as code → parent code. */
  async parentOfEveryCode(): Promise<Map<string, string | null>> {
    const rows = await this.db.query<{ code: string; parentCode: string | null }>(
      'SELECT u.code, p.code AS "parentCode" FROM unit u LEFT JOIN unit p ON p.id = u.parent_id',
    );
    return new Map(rows.map((u) => [u.code, u.parentCode]));
  }

  storedByCodes(codes: string[]): Promise<StoredUnitRow[]> {
    return this.db.query<StoredUnitRow>(
      `SELECT u.id, u.code, p.code AS "parentCode", u.secretary_name AS "secretaryName", u.email, u.phone, u.webhook_url AS "webhookUrl",
              u.contacts, u.time_zone AS "timeZone"
         FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.code = ANY($1)`,
      [codes],
    );
  }

  idsByCodes(codes: string[]): Promise<{ id: string; code: string }[]> {
    return this.db.query('SELECT id, code FROM unit WHERE code = ANY($1)', [codes]);
  }

  /** One statement for any number of rows (unnest of column arrays); the parent FK is deferred to commit. */
  async upsertMany(units: UnitUpsert[]): Promise<void> {
    const col = <K extends keyof UnitUpsert>(k: K) => units.map((u) => u[k]);
    await this.db.query(
      `INSERT INTO unit (id, code, name, kind, parent_id, secretary_name, email, phone, webhook_url, contacts, time_zone)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                            $9::text[], $10::jsonb[], $11::text[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id,
         secretary_name = EXCLUDED.secretary_name, email = EXCLUDED.email, phone = EXCLUDED.phone,
         webhook_url = EXCLUDED.webhook_url, contacts = EXCLUDED.contacts, time_zone = EXCLUDED.time_zone, updated_at = now()`,
      [
        col('id'),
        col('code'),
        col('name'),
        col('kind'),
        col('parentId'),
        col('secretaryName'),
        col('email'),
        col('phone'),
        col('webhookUrl'),
        units.map((u) => JSON.stringify(u.contacts)),
        col('timeZone'),
      ],
    );
  }

  /** True when some parentless unit is of kind office: office notices have a unit to go to. */
  async hasOfficeRoot(): Promise<boolean> {
    return (await this.db.query(`SELECT 1 FROM unit WHERE parent_id IS NULL AND kind = 'office' LIMIT 1`)).length > 0;
  }

  /** The roots of the trees the units with these codes are in, by code. */
  rootsOf(codes: string[]): Promise<{ code: string; name: string }[]> {
    return this.db.query(
      `WITH RECURSIVE up AS (
         SELECT u.id, u.parent_id, 0 AS depth FROM unit u WHERE u.code = ANY($1)
         UNION SELECT p.id, p.parent_id, up.depth + 1 FROM unit p JOIN up ON p.id = up.parent_id WHERE up.depth < 50)
       SELECT DISTINCT r.code, r.name FROM up JOIN unit r ON r.id = up.id WHERE up.parent_id IS NULL ORDER BY r.code`,
      [codes],
    );
  }

  async deleteSecrets(keys: UnitSecretKey[]): Promise<void> {
    await this.db.query(
      `DELETE FROM unit_secret WHERE (unit_id, ref) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
      [keys.map((k) => k.unitId), keys.map((k) => k.ref)],
    );
  }

  async upsertSecrets(secrets: (UnitSecretKey & { value: string })[]): Promise<void> {
    await this.db.query(
      `INSERT INTO unit_secret (unit_id, ref, value) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
       ON CONFLICT (unit_id, ref) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
      [secrets.map((s) => s.unitId), secrets.map((s) => s.ref), secrets.map((s) => s.value)],
    );
  }
}

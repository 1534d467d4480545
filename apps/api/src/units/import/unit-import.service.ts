import { Injectable } from '@nestjs/common';
import { Db } from '../../../../../libs/persistence/src';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DomainError } from '../../../../../libs/domain/src';
import { checkImport, ImportRow, RawImportRow } from './unit-import.rows';
import { rowsFromCsv, rowsFromJson, rowsFromXlsx } from './unit-import.sources';

export interface ImportResult {
  created: number;
  updated: number;
}

interface StoredUnit {
  id: string;
  code: string;
  parent_code: string | null;
  secretary_name: string | null;
  email: string | null;
  phone: string | null;
  webhook_url: string | null;
  contacts: unknown;
  time_zone: string | null;
}

/** Serialises imports: each one validates against the tree as it is, so two must not interleave. */
const IMPORT_LOCK = 7_363_001;

@Injectable()
export class UnitImportService {
  constructor(private readonly db: Db) {}

  importJson(body: unknown): Promise<ImportResult> {
    return this.import(rowsFromJson(body));
  }

  importCsv(csv: string): Promise<ImportResult> {
    return this.import(rowsFromCsv(csv));
  }

  /** The file is parsed (and its header checked) before the transaction opens: no connection held while unzipping. */
  async importXlsx(file: Buffer): Promise<ImportResult> {
    return this.import(await rowsFromXlsx(file));
  }

  /** Validates every row against the file and the database, then upserts all of them in one transaction — or none. */
  private import(source: { rows: RawImportRow[]; problems: { field: string; problem: string }[] }): Promise<ImportResult> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      const all: { code: string; parent_code: string | null }[] = await tx.query(
        'SELECT u.code, p.code AS parent_code FROM unit u LEFT JOIN unit p ON p.id = u.parent_id',
      );
      const { rows, problems } = checkImport(source.rows, new Map(all.map((u) => [u.code, u.parent_code])));
      const details = [...source.problems, ...problems].sort((a, b) => compareFields(a.field, b.field));
      if (details.length) {
        throw DomainError.validation(`the import has ${details.length} problem(s); nothing was imported`, details);
      }
      return this.upsert(tx, rows);
    });
  }

  private async upsert(tx: EntityManager, rows: ImportRow[]): Promise<ImportResult> {
    const stored: StoredUnit[] = await tx.query(
      `SELECT u.id, u.code, p.code AS parent_code, u.secretary_name, u.email, u.phone, u.webhook_url, u.contacts, u.time_zone
         FROM unit u LEFT JOIN unit p ON p.id = u.parent_id WHERE u.code = ANY($1)`,
      [rows.map((r) => r.code)],
    );
    const byCode = new Map(stored.map((s) => [s.code, s]));
    const idOf = new Map<string, string>(rows.map((r) => [r.code, byCode.get(r.code)?.id ?? randomUUID()]));
    const parentCodes = rows.map((r) => (r.parentCode === undefined ? byCode.get(r.code)?.parent_code ?? null : r.parentCode));
    const missing = [...new Set(parentCodes.filter((c): c is string => !!c && !idOf.has(c)))];
    if (missing.length) {
      const parents: { id: string; code: string }[] = await tx.query('SELECT id, code FROM unit WHERE code = ANY($1)', [missing]);
      for (const p of parents) idOf.set(p.code, p.id);
    }
    // Absent optional fields keep the stored value; present-but-empty ones (null) clear it.
    const keep = <T>(value: T | undefined, old: T | null | undefined) => (value === undefined ? old ?? null : value);
    const cols = rows.map((r, i) => {
      const old = byCode.get(r.code);
      return [
        idOf.get(r.code)!,
        r.code,
        r.name,
        r.kind,
        parentCodes[i] ? idOf.get(parentCodes[i]!)! : null,
        keep(r.secretaryName, old?.secretary_name),
        keep(r.email, old?.email),
        keep(r.phone, old?.phone),
        keep(r.webhookUrl, old?.webhook_url),
        JSON.stringify(r.contacts ?? old?.contacts ?? []),
        keep(r.timeZone, old?.time_zone),
      ];
    });
    const column = (i: number) => cols.map((c) => c[i]);
    // One statement for any number of rows (unnest of column arrays); the parent FK is deferred to commit.
    await tx.query(
      `INSERT INTO unit (id, code, name, kind, parent_id, secretary_name, email, phone, webhook_url, contacts, time_zone)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                            $9::text[], $10::jsonb[], $11::text[])
       ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, parent_id = EXCLUDED.parent_id,
         secretary_name = EXCLUDED.secretary_name, email = EXCLUDED.email, phone = EXCLUDED.phone,
         webhook_url = EXCLUDED.webhook_url, contacts = EXCLUDED.contacts, time_zone = EXCLUDED.time_zone, updated_at = now()`,
      Array.from({ length: 11 }, (_, i) => column(i)),
    );
    return { created: rows.length - byCode.size, updated: byCode.size };
  }
}

/** Row order (`rows[10]` after `rows[9]`); within a row the order the checks found them (the sort is stable). */
function compareFields(a: string, b: string): number {
  const n = (f: string) => Number(/^rows\[(\d+)\]/.exec(f)?.[1] ?? -1);
  return n(a) - n(b);
}

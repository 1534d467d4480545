import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Env } from '../../../../../libs/config/src';
import { DomainError, type FieldProblem } from '../../../../../libs/domain/src';
import { OutboundGuard } from '../../../../../libs/notifications/src/outbound-guard';
import { Db } from '../../../../../libs/persistence/src';
import { loadUnitSecrets, splitContactSecrets, UNIT_WEBHOOK_REF, type SecretValues } from '../../../../../libs/persistence/src/unit-secrets';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../auth/roles';
import { checkImport, ImportRow, outboundUrlsOf, RawImportRow } from './unit-import.rows';
import { officeEmailsOf } from '../../../../../activities/notices/plan-deliveries';
import { rowsFromCsv, rowsFromJson, rowsFromXlsx } from './unit-import.sources';

export interface ImportResult {
  created: number;
  updated: number;
  /** Imported, but something to fix: e.g. a tree whose office notices would reach no one. */
  warnings: string[];
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
  private readonly outbound: OutboundGuard;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditService,
    private readonly config: ConfigService<Env, true>,
  ) {
    this.outbound = new OutboundGuard(config.get('OUTBOUND_ALLOW_HOSTS', { infer: true }));
  }

  importJson(body: unknown, by: Importer): Promise<ImportResult> {
    return this.import(rowsFromJson(body), by);
  }

  importCsv(csv: string, by: Importer): Promise<ImportResult> {
    return this.import(rowsFromCsv(csv), by);
  }

  /** The file is parsed (and its header checked) before the transaction opens: no connection held while unzipping. */
  async importXlsx(file: Buffer, by: Importer): Promise<ImportResult> {
    return this.import(await rowsFromXlsx(file), by);
  }

  /** Validates every row against the file and the database, then upserts all of them in one transaction — or none. */
  private async import(source: { rows: RawImportRow[]; problems: FieldProblem[] }, by: Importer): Promise<ImportResult> {
    // DNS lookups are slow: before the transaction, never inside it
    const refused = await this.refusedUrls(source.rows);
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [IMPORT_LOCK]);
      const all: { code: string; parent_code: string | null }[] = await tx.query(
        'SELECT u.code, p.code AS parent_code FROM unit u LEFT JOIN unit p ON p.id = u.parent_id',
      );
      const { rows, problems } = checkImport(source.rows, new Map(all.map((u) => [u.code, u.parent_code])));
      const details = [...source.problems, ...problems, ...refused].sort((a, b) => compareFields(a.field, b.field));
      if (details.length) {
        throw DomainError.validation(`the import has ${details.length} problem(s); nothing was imported`, details);
      }
      const counts = await this.upsert(tx, rows, by);
      return { ...counts, warnings: await this.officeReachability(tx, rows) };
    });
  }

  /**
   * Office notices go to a parentless unit of kind office (activities/notices/notice-recipients.ts) or to
   * NOTICE_OFFICE_EMAILS. With neither, each imported tree is named: its escalations to the office would only reach
   * the office's in-app inbox and the dead-letter list.
   */
  private async officeReachability(tx: EntityManager, rows: ImportRow[]): Promise<string[]> {
    if (officeEmailsOf(this.config).length) return [];
    const [office] = await tx.query(`SELECT 1 FROM unit WHERE parent_id IS NULL AND kind = 'office' LIMIT 1`);
    if (office) return [];
    const roots: { code: string; name: string }[] = await tx.query(
      `WITH RECURSIVE up AS (
         SELECT u.id, u.parent_id, 0 AS depth FROM unit u WHERE u.code = ANY($1)
         UNION SELECT p.id, p.parent_id, up.depth + 1 FROM unit p JOIN up ON p.id = up.parent_id WHERE up.depth < 50)
       SELECT DISTINCT r.code, r.name FROM up JOIN unit r ON r.id = up.id WHERE up.parent_id IS NULL ORDER BY r.code`,
      [rows.map((r) => r.code)],
    );
    return roots.map(
      (r) =>
        `no way to reach the office for unit tree ${r.code} (${r.name}): it has no unit of kind office and NOTICE_OFFICE_EMAILS is empty — ` +
        'escalations to the office will show only in the office inbox and the dead-letter list. Import an office unit as its root, or set NOTICE_OFFICE_EMAILS.',
    );
  }

  /** Robot / webhook URLs the outbound guard refuses (loopback, private, link-local…), each named by its field. */
  private async refusedUrls(rows: RawImportRow[]): Promise<FieldProblem[]> {
    const urls = rows.flatMap(outboundUrlsOf);
    const verdicts = new Map<string, Promise<string | null>>(); // one lookup per distinct URL
    for (const { url } of urls) if (!verdicts.has(url)) verdicts.set(url, this.outbound.problemWith(url));
    const problems: FieldProblem[] = [];
    for (const { field, url } of urls) {
      const problem = await verdicts.get(url)!;
      if (problem) problems.push({ field, problem });
    }
    return problems;
  }

  private async upsert(tx: EntityManager, rows: ImportRow[], by: Importer): Promise<Omit<ImportResult, 'warnings'>> {
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
        null, // the unit's webhook is a secret: unit_secret
        JSON.stringify(r.contacts ? splitContactSecrets(r.contacts).contacts : (old?.contacts ?? [])),
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
    await this.storeSecrets(tx, rows, idOf, by);
    return { created: rows.length - byCode.size, updated: byCode.size };
  }

  /**
   * Robot URLs and signing secrets go to unit_secret, never the unit row. An absent webhookUrl / contacts keeps the
   * stored secrets; new contacts replace every contact secret. The audit log records which refs changed, not values.
   */
  private async storeSecrets(tx: EntityManager, rows: ImportRow[], idOf: Map<string, string>, by: Importer): Promise<void> {
    const stored = await loadUnitSecrets(tx, rows.map((r) => idOf.get(r.code)!));
    const upserts: [string, string, string][] = [];
    const deletes: [string, string][] = [];
    const changes: { code: string; changed: string[]; removed: string[] }[] = [];
    for (const r of rows) {
      const unitId = idOf.get(r.code)!;
      const old: SecretValues = stored.get(unitId) ?? new Map();
      const next = new Map(old);
      if (r.webhookUrl === null) next.delete(UNIT_WEBHOOK_REF);
      else if (r.webhookUrl !== undefined) next.set(UNIT_WEBHOOK_REF, r.webhookUrl);
      if (r.contacts !== undefined) {
        for (const ref of old.keys()) if (ref.startsWith('contacts[')) next.delete(ref);
        for (const [ref, value] of splitContactSecrets(r.contacts).secrets) next.set(ref, value);
      }
      const changed = [...next].filter(([ref, value]) => old.get(ref) !== value).map(([ref]) => ref).sort();
      const removed = [...old.keys()].filter((ref) => !next.has(ref)).sort();
      if (!changed.length && !removed.length) continue;
      changes.push({ code: r.code, changed, removed });
      for (const ref of changed) upserts.push([unitId, ref, next.get(ref)!]);
      for (const ref of removed) deletes.push([unitId, ref]);
    }
    if (!changes.length) return;
    if (deletes.length) {
      await tx.query(`DELETE FROM unit_secret WHERE (unit_id, ref) IN (SELECT * FROM unnest($1::uuid[], $2::text[]))`, [deletes.map((d) => d[0]), deletes.map((d) => d[1])]);
    }
    if (upserts.length) {
      await tx.query(
        `INSERT INTO unit_secret (unit_id, ref, value) SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
         ON CONFLICT (unit_id, ref) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
        [upserts.map((u) => u[0]), upserts.map((u) => u[1]), upserts.map((u) => u[2])],
      );
    }
    await this.audit.record({ actor: by.user, action: 'unit.secrets_changed', entity: 'unit', entityId: null, ip: by.ip, after: { units: changes } }, tx);
  }
}

/** Who imports: recorded with the secrets that changed. */
export interface Importer {
  user: AuthUser;
  ip: string | null;
}

/** Row order (`rows[10]` after `rows[9]`); within a row the order the checks found them (the sort is stable). */
function compareFields(a: string, b: string): number {
  const n = (f: string) => Number(/^rows\[(\d+)\]/.exec(f)?.[1] ?? -1);
  return n(a) - n(b);
}

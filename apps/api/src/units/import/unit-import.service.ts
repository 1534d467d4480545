import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import type { Env } from '../../../../../libs/config/src';
import { DomainError, type FieldProblem } from '../../../../../libs/domain/src';
import { OutboundGuard } from '../../../../../libs/notifications/src/outbound-guard';
import { Db } from '../../../../../libs/persistence/src';
import {
  loadUnitSecrets,
  splitContactSecrets,
  UNIT_WEBHOOK_REF,
  type SecretValues,
} from '../../../../../libs/persistence/src/unit-secrets';
import { AuditService } from '../../audit/audit.service';
import type { AuthUser } from '../../auth/roles';
import { UnitImportRepository, type UnitSecretKey, type UnitUpsert } from './unit-import.repository';
import { checkImport, ImportRow, outboundUrlsOf, RawImportRow } from './unit-import.rows';
import { officeEmailsOf } from '../../../../../libs/notifications/src/planning/plan-deliveries';
import { rowsFromCsv, rowsFromJson, rowsFromXlsx } from './unit-import.sources';

export interface ImportResult {
  created: number;
  updated: number;
  /** Imported, but something to fix: e.g. a tree whose office notices would reach no one. */
  warnings: string[];
}

@Injectable()
export class UnitImportService {
  private readonly outbound: OutboundGuard;

  constructor(
    private readonly db: Db,
    private readonly units: UnitImportRepository,
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
  private async import(
    source: { rows: RawImportRow[]; problems: FieldProblem[] },
    by: Importer,
  ): Promise<ImportResult> {
    // DNS lookups are slow: before the transaction, never inside it
    const refused = await this.refusedUrls(source.rows);
    return this.db.transaction(async () => {
      await this.units.lockImports();
      const { rows, problems } = checkImport(source.rows, await this.units.parentOfEveryCode());
      const details = [...source.problems, ...problems, ...refused].sort((a, b) => compareFields(a.field, b.field));
      if (details.length) {
        throw DomainError.validation(`the import has ${details.length} problem(s); nothing was imported`, details);
      }
      const counts = await this.upsert(rows, by);
      return { ...counts, warnings: await this.officeReachability(rows) };
    });
  }

  /**
   * Office notices go to a parentless unit of kind office (libs/notifications/src/planning/notice-recipients.ts) or to
   * NOTICE_OFFICE_EMAILS. With neither, each imported tree is named: its escalations to the office would only reach
   * the office's in-app inbox and the dead-letter list.
   */
  private async officeReachability(rows: ImportRow[]): Promise<string[]> {
    if (officeEmailsOf(this.config).length) return [];
    if (await this.units.hasOfficeRoot()) return [];
    const roots = await this.units.rootsOf(rows.map((r) => r.code));
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

  private async upsert(rows: ImportRow[], by: Importer): Promise<Omit<ImportResult, 'warnings'>> {
    const stored = await this.units.storedByCodes(rows.map((r) => r.code));
    const byCode = new Map(stored.map((s) => [s.code, s]));
    const idOf = new Map<string, string>(rows.map((r) => [r.code, byCode.get(r.code)?.id ?? randomUUID()]));
    const parentCodes = rows.map((r) =>
      r.parentCode === undefined ? (byCode.get(r.code)?.parentCode ?? null) : r.parentCode,
    );
    const missing = [...new Set(parentCodes.filter((c): c is string => !!c && !idOf.has(c)))];
    if (missing.length) {
      for (const p of await this.units.idsByCodes(missing)) idOf.set(p.code, p.id);
    }
    // Absent optional fields keep the stored value; present-but-empty ones (null) clear it.
    const keep = <T>(value: T | undefined, old: T | null | undefined) => (value === undefined ? (old ?? null) : value);
    const units = rows.map((r, i): UnitUpsert => {
      const old = byCode.get(r.code);
      return {
        id: idOf.get(r.code)!,
        code: r.code,
        name: r.name,
        kind: r.kind,
        parentId: parentCodes[i] ? idOf.get(parentCodes[i]!)! : null,
        secretaryName: keep(r.secretaryName, old?.secretaryName),
        email: keep(r.email, old?.email),
        phone: keep(r.phone, old?.phone),
        webhookUrl: null, // the unit's webhook is a secret: unit_secret
        contacts: r.contacts ? splitContactSecrets(r.contacts).contacts : (old?.contacts ?? []),
        timeZone: keep(r.timeZone, old?.timeZone),
      };
    });
    await this.units.upsertMany(units);
    await this.storeSecrets(rows, idOf, by);
    return { created: rows.length - byCode.size, updated: byCode.size };
  }

  /**
   * Robot URLs and signing secrets go to unit_secret, never the unit row. An absent webhookUrl / contacts keeps the
   * stored secrets; new contacts replace every contact secret. The audit log records which refs changed, not values.
   */
  private async storeSecrets(rows: ImportRow[], idOf: Map<string, string>, by: Importer): Promise<void> {
    const stored = await loadUnitSecrets(
      this.db.manager,
      rows.map((r) => idOf.get(r.code)!),
    );
    const upserts: (UnitSecretKey & { value: string })[] = [];
    const deletes: UnitSecretKey[] = [];
    const changes: { code: string; changed: string[]; removed: string[] }[] = [];
    for (const r of rows) {
      const unitId = idOf.get(r.code)!;
      const old: SecretValues = stored.get(unitId) ?? new Map<string, string>();
      const next = new Map(old);
      if (r.webhookUrl === null) next.delete(UNIT_WEBHOOK_REF);
      else if (r.webhookUrl !== undefined) next.set(UNIT_WEBHOOK_REF, r.webhookUrl);
      if (r.contacts !== undefined) {
        for (const ref of old.keys()) if (ref.startsWith('contacts[')) next.delete(ref);
        for (const [ref, value] of splitContactSecrets(r.contacts).secrets) next.set(ref, value);
      }
      const changed = [...next]
        .filter(([ref, value]) => old.get(ref) !== value)
        .map(([ref]) => ref)
        .sort();
      const removed = [...old.keys()].filter((ref) => !next.has(ref)).sort();
      if (!changed.length && !removed.length) continue;
      changes.push({ code: r.code, changed, removed });
      for (const ref of changed) upserts.push({ unitId, ref, value: next.get(ref)! });
      for (const ref of removed) deletes.push({ unitId, ref });
    }
    if (!changes.length) return;
    if (deletes.length) await this.units.deleteSecrets(deletes);
    if (upserts.length) await this.units.upsertSecrets(upserts);
    await this.audit.record({
      actor: by.user,
      action: 'unit.secrets_changed',
      entity: 'unit',
      entityId: null,
      ip: by.ip,
      after: { units: changes },
    });
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

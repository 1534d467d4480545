import { Injectable } from '@nestjs/common';
import { Db, type UnitContact } from '../../../../libs/persistence/src';
import type { AuthUser } from '../auth/roles';
import type { UnitAccessService } from '../auth/unit-access.service';

/** Who is reached at a unit and how, and its time zone: what the api shows and the import writes beside the tree. */
export interface UnitContactFields {
  secretaryName: string | null;
  email: string | null;
  phone: string | null;
  webhookUrl: string | null;
  contacts: UnitContact[];
  timeZone: string | null;
}

/** A unit as the api shows it, with its parent's code. */
export interface UnitRow extends UnitContactFields {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
}

export interface UnitNodeRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  parentId: string | null;
}

export interface UnitRef {
  id: string;
  code: string;
  name: string;
}

/** A unit a cycle start selected. */
export interface SelectedUnit {
  id: string;
  kind: string;
}

/**
 * The units a caller may read, as SQL over `unitColumn` with placeholders from `$firstParam` (UnitAccessService's
 * readableUnitsFilter), or null when every unit is readable. The repository says where the column and the
 * placeholders are; the access rules stay in the auth feature.
 */
export type ReadableUnits = (unitColumn: string, firstParam: number) => { sql: string; params: unknown[] } | null;

/** The units `user` may read, for the repositories' list queries. */
export function readableBy(access: Pick<UnitAccessService, 'readableUnitsFilter'>, user: AuthUser): ReadableUnits {
  return (unitColumn, firstParam) => access.readableUnitsFilter(user, unitColumn, firstParam);
}

export interface UnitListFilter {
  kind: string | null;
  /** Only the direct children of the unit with this code. */
  parentCode: string | null;
  readable: ReadableUnits;
}

export interface UnitSelection {
  ids: string[];
  codes: string[];
  /** Code of a unit: it and every unit below it. */
  subtreeOf: string | null;
  all: boolean;
  /** Keep only units of these kinds (null: every kind). */
  kinds: string[] | null;
}

const SELECT_UNIT = `SELECT u.id, u.code, u.name, u.kind, p.code AS "parentCode", u.secretary_name AS "secretaryName", u.email,
  u.phone, u.webhook_url AS "webhookUrl", u.contacts, u.time_zone AS "timeZone"
  FROM unit u LEFT JOIN unit p ON p.id = u.parent_id`;

/** The api's reads of the unit tree (the import's writes are in import/unit-import.repository.ts). */
@Injectable()
export class UnitRepository {
  constructor(private readonly db: Db) {}

  /** The page's units (by code) and how many match in all. */
  async page(filter: UnitListFilter, limit: number, offset: number): Promise<{ total: number; items: UnitRow[] }> {
    const readable = filter.readable('u.id', 3);
    const where = `WHERE ($1::text IS NULL OR u.kind = $1) AND ($2::text IS NULL OR p.code = $2)${readable ? ` AND ${readable.sql}` : ''}`;
    const params = [filter.kind, filter.parentCode, ...(readable?.params ?? [])];
    const page = params.length + 1;
    const [{ total }] = await this.db.query<{ total: number }>(
      `SELECT count(*)::int AS total FROM unit u LEFT JOIN unit p ON p.id = u.parent_id ${where}`,
      params,
    );
    const items = await this.db.query<UnitRow>(
      `${SELECT_UNIT} ${where} ORDER BY u.code LIMIT $${page} OFFSET $${page + 1}`,
      [...params, limit, offset],
    );
    return { total, items };
  }

  async findByCode(code: string): Promise<UnitRow | undefined> {
    return (await this.db.query<UnitRow>(`${SELECT_UNIT} WHERE u.code = $1`, [code]))[0];
  }

  async idOfCode(code: string): Promise<string | undefined> {
    return (await this.db.query<{ id: string }>(`SELECT id FROM unit WHERE code = $1`, [code]))[0]?.id;
  }

  /** `ref` is a unit id or code. */
  async idOfRef(ref: string): Promise<string | undefined> {
    return (await this.db.query<{ id: string }>(`SELECT id FROM unit WHERE id::text = $1 OR code = $1`, [ref]))[0]?.id;
  }

  /** Every readable unit as a node of the tree, by code. */
  nodes(readable: ReadableUnits): Promise<UnitNodeRow[]> {
    const scope = readable('id', 1);
    return this.db.query<UnitNodeRow>(
      `SELECT id, code, name, kind, parent_id AS "parentId" FROM unit ${scope ? `WHERE ${scope.sql}` : ''} ORDER BY code`,
      scope?.params ?? [],
    );
  }

  /** The readable units, `first` (the caller's own) before the others, then by code; none when every unit is readable. */
  async refs(readable: ReadableUnits, first: string, limit: number): Promise<UnitRef[]> {
    const scope = readable('id', 2);
    if (!scope) return [];
    return this.db.query<UnitRef>(
      `SELECT id, code, name FROM unit WHERE ${scope.sql} ORDER BY (id = $1) DESC, code LIMIT ${limit}`,
      [first, ...scope.params],
    );
  }

  /** Those of `ids` no unit has, sorted. */
  async unknownIds(ids: string[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      'SELECT x.id FROM unnest($1::uuid[]) AS x(id) WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.id = x.id) ORDER BY 1',
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /** Those of `codes` no unit has, sorted. */
  async unknownCodes(codes: string[]): Promise<string[]> {
    const rows = await this.db.query<{ code: string }>(
      'SELECT x.code FROM unnest($1::text[]) AS x(code) WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.code = x.code) ORDER BY 1',
      [codes],
    );
    return rows.map((r) => r.code);
  }

  /** (ids ∪ codes ∪ subtree ∪ all) ∩ kinds, in one query, ordered by code so ordinals are stable. */
  select(sel: UnitSelection): Promise<SelectedUnit[]> {
    return this.db.query<SelectedUnit>(
      `WITH RECURSIVE subtree AS (
         SELECT id FROM unit WHERE code = $3
         UNION ALL SELECT u.id FROM unit u JOIN subtree s ON u.parent_id = s.id
       )
       SELECT u.id, u.kind FROM unit u
        WHERE ($5 OR u.id = ANY($1::uuid[]) OR u.code = ANY($2::text[]) OR u.id IN (SELECT id FROM subtree))
          AND ($4::text[] IS NULL OR u.kind = ANY($4::text[]))
        ORDER BY u.code`,
      [sel.ids, sel.codes, sel.subtreeOf, sel.kinds, sel.all],
    );
  }
}

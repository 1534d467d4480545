import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DomainError } from '../../../../libs/domain/src';
import type { UnitContact } from '../../../../libs/persistence/src';
import { loadUnitSecrets, maskSecret, UNIT_WEBHOOK_REF, withContactSecrets } from '../../../../libs/persistence/src/unit-secrets';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import type { ListUnitsQuery, UnitDto, UnitPageDto, UnitTreeNodeDto } from './units.dto';

const SELECT_UNIT = `SELECT u.id, u.code, u.name, u.kind, p.code AS "parentCode", u.secretary_name AS "secretaryName", u.email,
  u.phone, u.webhook_url AS "webhookUrl", u.contacts, u.time_zone AS "timeZone"
  FROM unit u LEFT JOIN unit p ON p.id = u.parent_id`;

@Injectable()
export class UnitsService {
  constructor(
    private readonly db: Db,
    private readonly access: UnitAccessService,
  ) {}

  /** Unit roles see only the units they may read (their own; a secretary also its subtree): UnitAccessService. */
  async list(user: AuthUser, q: ListUnitsQuery): Promise<UnitPageDto> {
    const limit = q.limit ?? 1000;
    const offset = q.offset ?? 0;
    if (q.parent) await this.get(user, q.parent);
    const readable = this.access.readableUnitsFilter(user, 'u.id', 3);
    const where = `WHERE ($1::text IS NULL OR u.kind = $1) AND ($2::text IS NULL OR p.code = $2)${readable ? ` AND ${readable.sql}` : ''}`;
    const params = [q.kind ?? null, q.parent ?? null, ...(readable?.params ?? [])];
    const page = params.length + 1;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total FROM unit u LEFT JOIN unit p ON p.id = u.parent_id ${where}`, params);
    const items = await this.db.query(`${SELECT_UNIT} ${where} ORDER BY u.code LIMIT $${page} OFFSET $${page + 1}`, [...params, limit, offset]);
    return { total, limit, offset, items: await this.withMaskedSecrets(user, items) };
  }

  async get(user: AuthUser, code: string): Promise<UnitDto> {
    const [unit] = await this.db.query(`${SELECT_UNIT} WHERE u.code = $1`, [code]);
    if (!unit) throw DomainError.notFound(`unit "${code}"`);
    await this.access.assertRead(user, unit.id);
    const [shown] = await this.withMaskedSecrets(user, [unit]);
    return shown;
  }

  /**
   * Robot URLs and signing secrets are write-only (libs/persistence/src/unit-secrets.ts): an office admin, who
   * maintains them, sees each masked (`…abcd`) to tell them apart; every other role sees none of them.
   */
  private async withMaskedSecrets(user: AuthUser, units: UnitDto[]): Promise<UnitDto[]> {
    if (!user.roles.includes('office_admin')) return units;
    const secrets = await loadUnitSecrets(this.db.manager, units.map((u) => u.id));
    return units.map((u) => {
      const own = secrets.get(u.id);
      if (!own) return u;
      const webhook = own.get(UNIT_WEBHOOK_REF);
      return { ...u, webhookUrl: webhook === undefined ? u.webhookUrl : maskSecret(webhook), contacts: withContactSecrets(u.contacts as UnitContact[], own, maskSecret) };
    });
  }

  /**
   * The whole forest (or one subtree), built in memory from one query: the tree has thousands of nodes, not millions.
   * A unit role gets only its readable units; a readable unit whose parent is not readable becomes a root.
   */
  async tree(user: AuthUser, rootCode?: string): Promise<UnitTreeNodeDto[]> {
    const readable = this.access.readableUnitsFilter(user, 'id', 1);
    const rows: { id: string; code: string; name: string; kind: string; parent_id: string | null }[] = await this.db.query(
      `SELECT id, code, name, kind, parent_id FROM unit ${readable ? `WHERE ${readable.sql}` : ''} ORDER BY code`,
      readable?.params ?? [],
    );
    const nodes = new Map(rows.map((r) => [r.id, { id: r.id, code: r.code, name: r.name, kind: r.kind, children: [] as UnitTreeNodeDto[] }]));
    const roots: UnitTreeNodeDto[] = [];
    for (const r of rows) {
      const parent = r.parent_id ? nodes.get(r.parent_id) : undefined;
      (parent ? parent.children : roots).push(nodes.get(r.id)!);
    }
    if (rootCode === undefined) return roots;
    const root = [...nodes.values()].find((n) => n.code === rootCode);
    if (!root) await this.get(user, rootCode); // 404 if unknown, 403 if not readable
    if (!root) throw DomainError.notFound(`unit "${rootCode}"`);
    return [root];
  }
}

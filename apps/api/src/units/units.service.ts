import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DomainError } from '../../../../libs/domain/src';
import {
  loadUnitSecrets,
  maskSecret,
  UNIT_WEBHOOK_REF,
  withContactSecrets,
} from '../../../../libs/persistence/src/unit-secrets';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { readableBy, UnitRepository, type UnitRow } from './unit.repository';
import type { ListUnitsQuery, UnitPageDto, UnitTreeNodeDto } from './units.dto';

@Injectable()
export class UnitsService {
  constructor(
    private readonly db: Db,
    private readonly units: UnitRepository,
    private readonly access: UnitAccessService,
  ) {}

  /** Unit roles see only the units they may read (their own; a secretary also its subtree): UnitAccessService. */
  async list(user: AuthUser, q: ListUnitsQuery): Promise<UnitPageDto> {
    const limit = q.limit ?? 1000;
    const offset = q.offset ?? 0;
    if (q.parent) await this.get(user, q.parent);
    const { total, items } = await this.units.page(
      { kind: q.kind ?? null, parentCode: q.parent ?? null, readable: readableBy(this.access, user) },
      limit,
      offset,
    );
    return { total, limit, offset, items: await this.withMaskedSecrets(user, items) };
  }

  async get(user: AuthUser, code: string): Promise<UnitRow> {
    const unit = await this.units.findByCode(code);
    if (!unit) throw DomainError.notFound(`unit "${code}"`);
    await this.access.assertRead(user, unit.id);
    const [shown] = await this.withMaskedSecrets(user, [unit]);
    return shown;
  }

  /**
   * Robot URLs and signing secrets are write-only (libs/persistence/src/unit-secrets.ts): an office admin, who
   * maintains them, sees each masked (`…abcd`) to tell them apart; every other role sees none of them.
   */
  private async withMaskedSecrets(user: AuthUser, units: UnitRow[]): Promise<UnitRow[]> {
    if (!user.roles.includes('office_admin')) return units;
    const secrets = await loadUnitSecrets(
      this.db.manager,
      units.map((u) => u.id),
    );
    return units.map((u) => {
      const own = secrets.get(u.id);
      if (!own) return u;
      const webhook = own.get(UNIT_WEBHOOK_REF);
      return {
        ...u,
        webhookUrl: webhook === undefined ? u.webhookUrl : maskSecret(webhook),
        contacts: withContactSecrets(u.contacts, own, maskSecret),
      };
    });
  }

  /**
   * The whole forest (or one subtree), built in memory from one query: the tree has thousands of nodes, not millions.
   * A unit role gets only its readable units; a readable unit whose parent is not readable becomes a root.
   */
  async tree(user: AuthUser, rootCode?: string): Promise<UnitTreeNodeDto[]> {
    const rows = await this.units.nodes(readableBy(this.access, user));
    const nodes = new Map(
      rows.map((r) => [
        r.id,
        { id: r.id, code: r.code, name: r.name, kind: r.kind, children: [] as UnitTreeNodeDto[] },
      ]),
    );
    const roots: UnitTreeNodeDto[] = [];
    for (const r of rows) {
      const parent = r.parentId ? nodes.get(r.parentId) : undefined;
      (parent ? parent.children : roots).push(nodes.get(r.id)!);
    }
    if (rootCode === undefined) return roots;
    const root = [...nodes.values()].find((n) => n.code === rootCode);
    if (!root) await this.get(user, rootCode); // 404 if unknown, 403 if not readable
    if (!root) throw DomainError.notFound(`unit "${rootCode}"`);
    return [root];
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { Db, type Queryable } from '../../../../libs/persistence/src';

/** `unitColumn` is the unit `$param`. */
export const ownUnitSql = (unitColumn: string, param: number): string => `${unitColumn} = $${param}`;

/** `unitColumn` is the unit `$param` or one below it, at any depth. */
export const unitSubtreeSql = (unitColumn: string, param: number): string =>
  `${unitColumn} IN (WITH RECURSIVE sub(id) AS (SELECT $${param}::uuid UNION SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub)`;

/** The unit tree as the access rules read it (UnitAccessService). */
@Injectable()
export class UnitAccessRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** True if `ancestorId` is a proper ancestor of `unitId` (walks parent links upward; cycles stop at UNION). */
  async isAncestor(ancestorId: string, unitId: string): Promise<boolean> {
    const rows = await this.db.query<{ found: boolean }>(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM unit WHERE id = $1
         UNION SELECT u.id, u.parent_id FROM unit u JOIN up ON u.id = up.parent_id
       ) SELECT EXISTS (SELECT 1 FROM up WHERE parent_id = $2) AS found`,
      [unitId, ancestorId],
    );
    return rows[0]?.found === true;
  }
}

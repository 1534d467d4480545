import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { AuthUser, hasAnyRole, OFFICE_ROLES } from './roles';

/**
 * Unit-scoped access, one place for every controller:
 * - read: office roles and auditors everywhere; unit roles their own unit; a unit_secretary also the whole
 *   subtree below their unit (a 党总支 guides its 党支部) — read only.
 * - write: office roles everywhere; unit roles only their own unit; auditors never.
 */
@Injectable()
export class UnitAccessService {
  constructor(private readonly db: Db) {}

  async canRead(user: AuthUser, unitId: string): Promise<boolean> {
    if (hasAnyRole(user, [...OFFICE_ROLES, 'auditor'])) return true;
    if (!user.unitId) return false;
    if (user.unitId === unitId) return true;
    return user.roles.includes('unit_secretary') && (await this.isAncestor(user.unitId, unitId));
  }

  canWrite(user: AuthUser, unitId: string): boolean {
    if (hasAnyRole(user, OFFICE_ROLES)) return true;
    return hasAnyRole(user, ['unit_secretary', 'unit_submitter']) && user.unitId === unitId;
  }

  async assertRead(user: AuthUser, unitId: string): Promise<void> {
    if (!(await this.canRead(user, unitId))) throw new DomainError(ErrorCode.Forbidden, `unit ${unitId} is not readable by ${user.email}`);
  }

  assertWrite(user: AuthUser, unitId: string): void {
    if (!this.canWrite(user, unitId)) throw new DomainError(ErrorCode.Forbidden, `unit ${unitId} is not writable by ${user.email}`);
  }

  /**
   * SQL filter for list queries: `unitColumn IN (units readable by user)`, or null when everything is readable.
   * Returns [sql, params] with $n placeholders starting at `firstParam`.
   */
  readableUnitsFilter(user: AuthUser, unitColumn: string, firstParam: number): { sql: string; params: unknown[] } | null {
    if (hasAnyRole(user, [...OFFICE_ROLES, 'auditor'])) return null;
    if (!user.unitId) return { sql: 'false', params: [] };
    if (!user.roles.includes('unit_secretary')) return { sql: `${unitColumn} = $${firstParam}`, params: [user.unitId] };
    return {
      sql: `${unitColumn} IN (WITH RECURSIVE sub(id) AS (SELECT $${firstParam}::uuid UNION SELECT u.id FROM unit u JOIN sub ON u.parent_id = sub.id) SELECT id FROM sub)`,
      params: [user.unitId],
    };
  }

  /** True if `ancestorId` is a proper ancestor of `unitId` (walks parent links upward; cycles stop at UNION). */
  private async isAncestor(ancestorId: string, unitId: string): Promise<boolean> {
    const rows: { found: boolean }[] = await this.db.query(
      `WITH RECURSIVE up(id, parent_id) AS (
         SELECT id, parent_id FROM unit WHERE id = $1
         UNION SELECT u.id, u.parent_id FROM unit u JOIN up ON u.id = up.parent_id
       ) SELECT EXISTS (SELECT 1 FROM up WHERE parent_id = $2) AS found`,
      [unitId, ancestorId],
    );
    return rows[0]?.found === true;
  }
}

import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { AuthUser, hasAnyRole, OFFICE_ROLES } from './roles';
import { ownUnitSql, UnitAccessRepository, unitSubtreeSql } from './unit-access.repository';

/**
 * Unit-scoped access, one place for every controller:
 * - read: office roles and auditors everywhere; unit roles their own unit; a unit_secretary also the whole
 *   subtree below their unit (a 党总支 guides its 党支部) — read only.
 * - write: office roles everywhere; unit roles only their own unit; auditors never.
 */
@Injectable()
export class UnitAccessService {
  constructor(private readonly units: UnitAccessRepository) {}

  async canRead(user: AuthUser, unitId: string): Promise<boolean> {
    if (hasAnyRole(user, [...OFFICE_ROLES, 'auditor'])) return true;
    if (!user.unitId) return false;
    if (user.unitId === unitId) return true;
    return user.roles.includes('unit_secretary') && (await this.units.isAncestor(user.unitId, unitId));
  }

  canWrite(user: AuthUser, unitId: string): boolean {
    if (hasAnyRole(user, OFFICE_ROLES)) return true;
    return hasAnyRole(user, ['unit_secretary', 'unit_submitter']) && user.unitId === unitId;
  }

  async assertRead(user: AuthUser, unitId: string): Promise<void> {
    if (!(await this.canRead(user, unitId)))
      throw new DomainError(ErrorCode.Forbidden, `unit ${unitId} is not readable by ${user.email}`);
  }

  assertWrite(user: AuthUser, unitId: string): void {
    if (!this.canWrite(user, unitId))
      throw new DomainError(ErrorCode.Forbidden, `unit ${unitId} is not writable by ${user.email}`);
  }

  /**
   * SQL filter for list queries: `unitColumn IN (units readable by user)`, or null when everything is readable.
   * Returns [sql, params] with $n placeholders starting at `firstParam`.
   */
  readableUnitsFilter(
    user: AuthUser,
    unitColumn: string,
    firstParam: number,
  ): { sql: string; params: unknown[] } | null {
    if (hasAnyRole(user, [...OFFICE_ROLES, 'auditor'])) return null;
    if (!user.unitId) return { sql: 'false', params: [] };
    const readable = user.roles.includes('unit_secretary') ? unitSubtreeSql : ownUnitSql;
    return { sql: readable(unitColumn, firstParam), params: [user.unitId] };
  }
}

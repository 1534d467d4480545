import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { DomainError, ErrorCode, FieldProblem } from '../../../../libs/domain/src';
import { UnitRow, UserRow } from '../../../../libs/persistence/src';
import { AuditService } from '../audit/audit.service';
import type { ChangePasswordDto, CreateUserDto, UpdateUserDto, UserDto } from './auth.dto';
import { hashPassword, verifyPassword } from './password-hasher';
import { AuthUser, Role, UNIT_ROLES } from './roles';
import { UsersRepository } from './users.repository';

export const toUserDto = (row: UserRow): UserDto => ({
  id: row.id,
  email: row.email,
  displayName: row.displayName,
  roles: row.roles as Role[],
  unitId: row.unitId,
  active: row.active,
});

@Injectable()
export class UsersService {
  constructor(
    private readonly db: Db,
    private readonly users: UsersRepository,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateUserDto, actor: AuthUser | null, ip: string | null): Promise<UserDto> {
    await this.validateUnitBinding(dto);
    const passwordHash = await hashPassword(dto.password);
    return this.db.transaction(async (m) => {
      const user = await this.insert(m, { ...dto, passwordHash });
      await this.audit.record({ actor, action: 'user.create', entity: 'user', entityId: user.id, ip, after: user }, m);
      return user;
    });
  }

  /** Roles, unit, name, active flag or password; the last active office admin cannot be demoted or deactivated. */
  async update(id: string, dto: UpdateUserDto, actor: AuthUser, ip: string | null): Promise<UserDto> {
    const passwordHash = dto.password ? await hashPassword(dto.password) : undefined;
    return this.db.transaction(async (m) => {
      const row = await m.getRepository(UserRow).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw DomainError.notFound(`user ${id}`);
      const before = toUserDto(row);
      const roles = dto.roles ?? (row.roles as Role[]);
      const unitId = dto.unitId === undefined ? row.unitId : dto.unitId;
      await this.validateUnitBinding({ roles, unitId });
      const active = dto.active ?? row.active;
      if (row.roles.includes('office_admin') && row.active && (!roles.includes('office_admin') || !active)) {
        if ((await this.users.countOtherActiveOfficeAdmins(id)) === 0)
          throw new DomainError(ErrorCode.Conflict, 'this is the last active office admin: create another one first');
      }
      // A new password or a deactivation ends every token issued before (BearerAuthGuard compares token versions).
      const revoke = Boolean(passwordHash) || (row.active && !active);
      await m.update(
        UserRow,
        { id },
        {
          displayName: dto.displayName ?? row.displayName,
          roles,
          unitId,
          active,
          ...(passwordHash ? { passwordHash } : {}),
          ...(revoke ? { tokenVersion: row.tokenVersion + 1 } : {}),
        },
      );
      const after = { ...before, displayName: dto.displayName ?? row.displayName, roles, unitId, active };
      await this.audit.record(
        {
          actor,
          action: 'user.update',
          entity: 'user',
          entityId: id,
          ip,
          before,
          after: { ...after, passwordChanged: Boolean(passwordHash), tokensRevoked: revoke },
        },
        m,
      );
      return after;
    });
  }

  async changeOwnPassword(user: AuthUser, dto: ChangePasswordDto, ip: string | null): Promise<{ changed: true }> {
    const row = await this.db.manager
      .getRepository(UserRow)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('u.id = :id', { id: user.id })
      .getOneOrFail();
    if (!(await verifyPassword(row.passwordHash, dto.currentPassword))) {
      throw DomainError.validation('currentPassword: is wrong', [{ field: 'currentPassword', problem: 'is wrong' }]);
    }
    const passwordHash = await hashPassword(dto.newPassword);
    await this.db.transaction(async (m) => {
      await m.update(UserRow, { id: user.id }, { passwordHash, tokenVersion: () => 'token_version + 1' });
      await this.audit.record(
        { actor: user, action: 'user.change_password', entity: 'user', entityId: user.id, ip },
        m,
      );
    });
    return { changed: true };
  }

  async list(): Promise<UserDto[]> {
    const rows = await this.db.manager.getRepository(UserRow).find({ order: { email: 'ASC' } });
    return rows.map(toUserDto);
  }

  /** Inserts, in the transaction `m` is the manager of; a taken e-mail (case-insensitive) is a 409 naming the field. */
  async insert(m: EntityManager, input: Omit<CreateUserDto, 'password'> & { passwordHash: string }): Promise<UserDto> {
    if (await this.users.emailTaken(input.email))
      throw new DomainError(ErrorCode.Conflict, `e-mail ${input.email} is already registered`, [
        { field: 'email', problem: 'is already registered' },
      ]);
    const row = m.create(UserRow, {
      id: randomUUID(),
      email: input.email.trim(),
      displayName: input.displayName,
      passwordHash: input.passwordHash,
      roles: input.roles,
      unitId: input.unitId ?? null,
      active: true,
    });
    await m.insert(UserRow, row);
    return toUserDto(row);
  }

  private async validateUnitBinding(dto: { roles: Role[]; unitId?: string | null }): Promise<void> {
    const problems: FieldProblem[] = [];
    const unitRole = dto.roles.some((r) => UNIT_ROLES.includes(r));
    const otherRole = dto.roles.some((r) => !UNIT_ROLES.includes(r));
    if (unitRole && otherRole)
      problems.push({ field: 'roles', problem: 'unit roles cannot be combined with office or auditor roles' });
    if (unitRole && !dto.unitId)
      problems.push({ field: 'unitId', problem: 'is required for unit_secretary and unit_submitter' });
    if (!unitRole && dto.unitId)
      problems.push({ field: 'unitId', problem: 'must be empty for office and auditor roles' });
    if (dto.unitId && !(await this.db.manager.getRepository(UnitRow).existsBy({ id: dto.unitId })))
      problems.push({ field: 'unitId', problem: 'unknown unit' });
    if (problems.length)
      throw DomainError.validation(
        `invalid user: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`,
        problems,
      );
  }
}

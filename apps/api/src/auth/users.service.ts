import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, FieldProblem } from '../../../../libs/domain/src';
import { UnitRow, UserRow } from '../../../../libs/persistence/src';
import { AuditService } from '../audit/audit.service';
import type { CreateUserDto, UserDto } from './auth.dto';
import { hashPassword } from './password-hasher';
import { AuthUser, Role, UNIT_ROLES } from './roles';

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
    @InjectDataSource() private readonly db: DataSource,
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

  async list(): Promise<UserDto[]> {
    const rows = await this.db.getRepository(UserRow).find({ order: { email: 'ASC' } });
    return rows.map(toUserDto);
  }

  /** Inserts; a taken e-mail (case-insensitive) is a 409 naming the field. */
  async insert(m: EntityManager, input: Omit<CreateUserDto, 'password'> & { passwordHash: string }): Promise<UserDto> {
    const taken = await m.query(`SELECT 1 FROM app_user WHERE lower(email) = lower($1)`, [input.email]);
    if (taken.length) throw new DomainError(ErrorCode.Conflict, `e-mail ${input.email} is already registered`, [{ field: 'email', problem: 'is already registered' }]);
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

  private async validateUnitBinding(dto: CreateUserDto): Promise<void> {
    const problems: FieldProblem[] = [];
    const unitRole = dto.roles.some((r) => UNIT_ROLES.includes(r));
    const otherRole = dto.roles.some((r) => !UNIT_ROLES.includes(r));
    if (unitRole && otherRole) problems.push({ field: 'roles', problem: 'unit roles cannot be combined with office or auditor roles' });
    if (unitRole && !dto.unitId) problems.push({ field: 'unitId', problem: 'is required for unit_secretary and unit_submitter' });
    if (!unitRole && dto.unitId) problems.push({ field: 'unitId', problem: 'must be empty for office and auditor roles' });
    if (dto.unitId && !(await this.db.getRepository(UnitRow).existsBy({ id: dto.unitId }))) problems.push({ field: 'unitId', problem: 'unknown unit' });
    if (problems.length) throw DomainError.validation(`invalid user: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`, problems);
  }
}

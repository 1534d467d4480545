import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { Env } from '../../../../libs/config/src';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { UserRow } from '../../../../libs/persistence/src';
import { AuditService } from '../audit/audit.service';
import type { LoginDto, LoginResponseDto } from './auth.dto';
import type { TokenClaims } from './bearer-auth.guard';
import { durationToSeconds } from './jwt-secret';
import { LoginThrottle } from './login-throttle';
import { dummyPasswordHash, verifyPassword } from './password-hasher';
import { Role } from './roles';
import { toUserDto } from './users.service';

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly jwt: JwtService,
    private readonly config: ConfigService<Env, true>,
    private readonly audit: AuditService,
    private readonly throttle: LoginThrottle,
  ) {}

  /**
   * One message for unknown e-mail, wrong password and deactivated account: no account enumeration. Failures slow
   * down further tries of that account from that address (LoginThrottle), never the account everywhere.
   */
  async login(dto: LoginDto, ip: string | null): Promise<LoginResponseDto> {
    await this.throttle.assertMayTry(dto.email, ip);
    const row = await this.db.manager
      .getRepository(UserRow)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email: dto.email })
      .getOne();
    const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), dto.password);
    if (!row || !ok || !row.active) {
      await this.throttle.recordFailure(dto.email, ip);
      await this.audit.record({
        actor: null,
        actorEmail: dto.email,
        action: 'auth.login_failed',
        entity: 'user',
        entityId: row?.id ?? null,
        ip,
      });
      throw new DomainError(ErrorCode.Unauthorized, 'wrong e-mail or password');
    }
    const user = toUserDto(row);
    await this.throttle.recordSuccess(dto.email, ip);
    const claims: TokenClaims = {
      sub: row.id,
      email: row.email,
      roles: row.roles as Role[],
      unitId: row.unitId,
      tv: row.tokenVersion,
    };
    const expiresIn = durationToSeconds(this.config.get('JWT_TTL', { infer: true }));
    const accessToken = await this.jwt.signAsync(claims, { expiresIn });
    await this.audit.record({ actor: { ...user }, action: 'auth.login', entity: 'user', entityId: row.id, ip });
    return { accessToken, tokenType: 'Bearer', expiresIn, user };
  }
}

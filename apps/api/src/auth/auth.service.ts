import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
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
import { dummyPasswordHash, verifyPassword } from './password-hasher';
import { Role } from './roles';
import { toUserDto } from './users.service';

/** Failed attempts per e-mail within the window before logins for that e-mail are refused (429) until it slides. */
export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_FAILURE_WINDOW_MINUTES = 15;

@Injectable()
export class AuthService {
  constructor(
    private readonly db: Db,
    private readonly jwt: JwtService,
    private readonly config: ConfigService<Env, true>,
    private readonly audit: AuditService,
  ) {}

  /** One message for unknown e-mail, wrong password and deactivated account: no account enumeration. */
  async login(dto: LoginDto, ip: string | null): Promise<LoginResponseDto> {
    await this.refuseIfThrottled(dto.email);
    const row = await this.db
      .manager.getRepository(UserRow)
      .createQueryBuilder('u')
      .addSelect('u.passwordHash')
      .where('lower(u.email) = lower(:email)', { email: dto.email })
      .getOne();
    const ok = await verifyPassword(row?.passwordHash ?? (await dummyPasswordHash()), dto.password);
    if (!row || !ok || !row.active) {
      await this.audit.record({ actor: null, actorEmail: dto.email, action: 'auth.login_failed', entity: 'user', entityId: row?.id ?? null, ip });
      throw new DomainError(ErrorCode.Unauthorized, 'wrong e-mail or password');
    }
    const user = toUserDto(row);
    const claims: TokenClaims = { sub: row.id, email: row.email, roles: row.roles as Role[], unitId: row.unitId };
    const expiresIn = durationToSeconds(this.config.get('JWT_TTL', { infer: true }));
    const accessToken = await this.jwt.signAsync(claims, { expiresIn });
    await this.audit.record({ actor: { ...user }, action: 'auth.login', entity: 'user', entityId: row.id, ip });
    return { accessToken, tokenType: 'Bearer', expiresIn, user };
  }

  /** Slows password guessing per account; counts the audit log's failed-login rows (no extra state to keep). */
  private async refuseIfThrottled(email: string): Promise<void> {
    const [{ n }] = await this.db.query(
      `SELECT count(*)::int AS n FROM audit_log
        WHERE action = 'auth.login_failed' AND lower(actor_email) = lower($1) AND at > now() - make_interval(mins => $2)`,
      [email, LOGIN_FAILURE_WINDOW_MINUTES],
    );
    if (n >= LOGIN_MAX_FAILURES) {
      const message = `too many failed logins for this e-mail: try again within ${LOGIN_FAILURE_WINDOW_MINUTES} minutes`;
      throw new HttpException({ statusCode: 429, error: 'TOO_MANY_REQUESTS', message, details: [] }, HttpStatus.TOO_MANY_REQUESTS);
    }
  }
}

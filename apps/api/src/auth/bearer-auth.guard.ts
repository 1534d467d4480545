import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { InjectRepository } from '@nestjs/typeorm';
import type { Request } from 'express';
import { Repository } from 'typeorm';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { UserRow } from '../../../../libs/persistence/src';
import { AuthUser, Role } from './roles';

export const ROLES_KEY = 'auth:roles';
/** Set by @Public(): the route needs no token even when this guard is installed globally (APP_GUARD). */
export const PUBLIC_KEY = 'auth:public';

export interface TokenClaims {
  sub: string;
  email: string;
  roles: Role[];
  unitId: string | null;
  /** app_user.token_version at signing: a password change or deactivation bumps it, ending this token. */
  tv: number;
}

export type AuthenticatedRequest = Request & { user?: AuthUser };

/**
 * Valid bearer token → the account is loaded fresh (so a deactivated account or a changed role takes effect at
 * once, not when the token expires) and its token version must match the token's (revocation) → one of the required roles (none listed: any signed-in account).
 * No/bad/expired token → 401; signed in without the role → 403.
 */
@Injectable()
export class BearerAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    @InjectRepository(UserRow) private readonly users: Repository<UserRow>,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    // The global APP_GUARD and @Authorized's UseGuards both run this guard: authenticate once per request.
    const user = request.user ?? (await this.authenticate(request.headers.authorization));
    request.user = user;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (required.length > 0 && !user.roles.some((r) => required.includes(r))) {
      throw new DomainError(ErrorCode.Forbidden, `requires one of the roles: ${required.join(', ')}`);
    }
    return true;
  }

  private async authenticate(header: string | undefined): Promise<AuthUser> {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw new DomainError(ErrorCode.Unauthorized, 'a bearer token is required (Authorization: Bearer <token> from POST /api/auth/login)');
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(match[1]);
    } catch (error) {
      throw new DomainError(ErrorCode.Unauthorized, `invalid bearer token: ${(error as Error).message}`);
    }
    const row = await this.users.findOneBy({ id: claims.sub });
    if (!row || !row.active) throw new DomainError(ErrorCode.Unauthorized, 'the account of this token no longer exists or is deactivated');
    if (claims.tv !== row.tokenVersion) throw new DomainError(ErrorCode.Unauthorized, 'this token was revoked (password changed or account deactivated): sign in again');
    return { id: row.id, email: row.email, displayName: row.displayName, roles: row.roles as Role[], unitId: row.unitId };
  }
}

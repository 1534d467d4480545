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

/** The httpOnly, SameSite=Strict cookie POST /api/auth/login sets for the web console (which keeps no token itself). */
export const SESSION_COOKIE = 'campaigns_session';
/** Header a cookie-authenticated write must carry: a cross-site form cannot set it, and cross-origin fetch needs CORS. */
export const CSRF_HEADER = 'x-requested-with';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Valid bearer token → the account is loaded fresh (so a deactivated account or a changed role takes effect at
 * once, not when the token expires) and its token version must match the token's (revocation) → one of the
 * required roles (none listed: any signed-in account).
 * No/bad/expired token → 401; signed in without the role → 403. The token comes from `Authorization: Bearer` (API
 * clients) or else from the session cookie (the web console); a cookie-authenticated write without the
 * X-Requested-With header is refused (403), so another site cannot make the browser write on the user's behalf.
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
    const user = request.user ?? (await this.authenticate(request));
    request.user = user;
    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets) ?? [];
    if (required.length > 0 && !user.roles.some((r) => required.includes(r))) {
      throw new DomainError(ErrorCode.Forbidden, `requires one of the roles: ${required.join(', ')}`);
    }
    return true;
  }

  /** The account of the request's token or session cookie, or null without one (for GET /api/auth/session). */
  async sessionOf(request: Request): Promise<AuthUser | null> {
    try {
      return await this.authenticate(request);
    } catch (error) {
      if (error instanceof DomainError && error.code === ErrorCode.Unauthorized) return null;
      throw error;
    }
  }

  private async authenticate(request: Request): Promise<AuthUser> {
    const token = requestToken(request);
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token);
    } catch (error) {
      throw new DomainError(ErrorCode.Unauthorized, `invalid bearer token: ${(error as Error).message}`);
    }
    const row = await this.users.findOneBy({ id: claims.sub });
    if (!row || !row.active)
      throw new DomainError(ErrorCode.Unauthorized, 'the account of this token no longer exists or is deactivated');
    if (claims.tv !== row.tokenVersion)
      throw new DomainError(
        ErrorCode.Unauthorized,
        'this token was revoked (password changed or account deactivated): sign in again',
      );
    return {
      id: row.id,
      email: row.email,
      displayName: row.displayName,
      roles: row.roles as Role[],
      unitId: row.unitId,
    };
  }
}

/**
 * The token of a request: `Authorization: Bearer` (API clients) or else the session cookie (the web console), whose
 * writes must carry X-Requested-With. Also used before the body is read (common/body-limits.ts).
 */
export function requestToken(request: Request): string {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (bearer) return bearer[1];
  const cookie: unknown = request.cookies?.[SESSION_COOKIE];
  if (typeof cookie !== 'string' || !cookie) {
    throw new DomainError(
      ErrorCode.Unauthorized,
      'a bearer token is required (Authorization: Bearer <token> from POST /api/auth/login)',
    );
  }
  if (!SAFE_METHODS.has(request.method) && !request.headers[CSRF_HEADER]) {
    throw new DomainError(
      ErrorCode.Forbidden,
      `a write signed in by the session cookie needs the ${CSRF_HEADER} header (cross-site request guard)`,
    );
  }
  return cookie;
}

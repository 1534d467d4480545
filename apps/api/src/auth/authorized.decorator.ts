import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { AuthenticatedRequest, BearerAuthGuard, PUBLIC_KEY, ROLES_KEY, SESSION_COOKIE } from './bearer-auth.guard';
import type { AuthUser, Role } from './roles';

/**
 * On a controller class or handler: a valid bearer token is required, and (if roles are given) one of them.
 * `@Authorized()` = any signed-in account. A handler-level list replaces the class-level one.
 */
export function Authorized(...roles: Role[]) {
  return applyDecorators(
    SetMetadata(ROLES_KEY, roles),
    UseGuards(BearerAuthGuard),
    ApiBearerAuth(),
    ApiCookieAuth(SESSION_COOKIE),
    ApiUnauthorizedResponse({ description: 'No bearer token, or an invalid/expired one' }),
    ApiForbiddenResponse({
      description: roles.length
        ? `Requires one of: ${roles.join(', ')} (or the unit is not yours)`
        : 'The unit is not yours',
    }),
  );
}

/**
 * No token needed (login, anonymous evaluation answers, health). Only matters once BearerAuthGuard is installed
 * globally; marking public routes now keeps that switch a one-line change.
 */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The signed-in account (only under @Authorized). */
export const CurrentUser = createParamDecorator((_: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('@CurrentUser() used on a handler without @Authorized()');
  return user;
});

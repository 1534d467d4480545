import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import type { AuthUser } from '../auth/roles';

/**
 * Who is acting, as recorded in workflow histories and the read model: the signed-in account's e-mail (the same
 * string the submissions feature records), never a client-supplied header — so the history names who really acted.
 */
export const actorOf = (user: Pick<AuthUser, 'email'>): string => user.email;

/** The authenticated caller as an actor string (only under @Authorized: the bearer guard sets request.user). */
export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const user = ctx.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('@Actor() used on a handler without @Authorized()');
  return actorOf(user);
});

import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';

/**
 * Who is acting, as recorded in workflow histories and the read model. For now the `X-Actor` header (default
 * `office`); authentication replaces this one function, and every controller keeps using `@Actor()`.
 */
export function actorOf(req: Request): string {
  const header = req.headers['x-actor'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  return value ? value.slice(0, 200) : 'office';
}

export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext) => actorOf(ctx.switchToHttp().getRequest<Request>()));

/** OpenAPI: documents the header on endpoints that record an actor. */
export const ApiActor = () =>
  applyDecorators(ApiHeader({ name: 'X-Actor', required: false, description: 'Who acts (recorded in the history); default "office".' }));

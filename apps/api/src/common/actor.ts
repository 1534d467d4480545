import { applyDecorators, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { Request } from 'express';

/**
 * Who is acting, as recorded in workflow histories and the read model. For now the `X-Actor` header (default
 * `office`), percent-encoded when it is not ASCII (HTTP headers cannot carry 王老师 raw); authentication replaces
 * this one function, and every controller keeps using `@Actor()`.
 */
export function actorOf(req: Request): string {
  const header = req.headers['x-actor'];
  const raw = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!raw) return 'office';
  let value = raw;
  try {
    value = decodeURIComponent(raw);
  } catch {
    // not percent-encoded: keep as sent
  }
  return value.slice(0, 200);
}

export const Actor = createParamDecorator((_: unknown, ctx: ExecutionContext) => actorOf(ctx.switchToHttp().getRequest<Request>()));

/** OpenAPI: documents the header on endpoints that record an actor. */
export const ApiActor = () =>
  applyDecorators(ApiHeader({ name: 'X-Actor', required: false, description: 'Who acts (recorded in the history), percent-encoded if not ASCII; default "office".' }));

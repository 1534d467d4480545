import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  SetMetadata,
  UseInterceptors,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { concatMap, from, map, Observable } from 'rxjs';
import type { AuthenticatedRequest } from '../auth/bearer-auth.guard';
import { AuditService } from './audit.service';

export interface AuditedOptions {
  /** Entity name in the log; default: the part of the action before the first dot (`unit.update` → `unit`). */
  entity?: string;
  /** Route parameter holding the entity id (default `id`); the response's `id` is used when the route has none. */
  idParam?: string;
  /** Store the response body as `after` (default true). */
  recordResponse?: boolean;
}

const AUDITED_KEY = 'audit:action';

/**
 * After the handler succeeds, appends one audit_log row: actor and roles (from @Authorized), action, entity id,
 * client IP, and the response as `after`. Failed requests write nothing. For before/after snapshots inside the
 * write's own transaction, call AuditService.record(entry, manager) instead.
 *
 *   @Post() @Authorized('office_admin') @Audited('unit.create') create(@Body() dto: CreateUnitDto) { ... }
 */
export function Audited(action: string, options: AuditedOptions = {}) {
  return applyDecorators(SetMetadata(AUDITED_KEY, { action, ...options }), UseInterceptors(AuditInterceptor));
}

export function clientIp(request: { ip?: string; socket?: { remoteAddress?: string } }): string | null {
  return request.ip ?? request.socket?.remoteAddress ?? null;
}

@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const meta = this.reflector.get<AuditedOptions & { action: string }>(AUDITED_KEY, context.getHandler());
    if (!meta) return next.handle();
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    return next.handle().pipe(
      concatMap((body: unknown) => {
        const responseId =
          body && typeof body === 'object' && 'id' in body ? String((body as { id: unknown }).id) : null;
        const entry = {
          actor: request.user ?? null,
          action: meta.action,
          entity: meta.entity ?? meta.action.split('.')[0],
          entityId: (request.params?.[meta.idParam ?? 'id'] as string | undefined) ?? responseId,
          ip: clientIp(request),
          after: meta.recordResponse === false ? null : (body ?? null),
        };
        return from(this.audit.record(entry)).pipe(map(() => body));
      }),
    );
  }
}

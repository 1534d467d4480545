import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Db } from '../../../../libs/persistence/src';
import type { AuthUser } from '../auth/roles';
import type { AuditLogQuery } from './audit-log.controller';

export interface AuditEntry {
  /** null for anonymous or failed-login entries. */
  actor: AuthUser | null;
  /** Dotted verb, e.g. `submission.submit`, `user.create`. */
  action: string;
  entity: string;
  entityId?: string | null;
  ip?: string | null;
  before?: unknown;
  after?: unknown;
  /** Extra actor e-mail when there is no account (failed login attempts). */
  actorEmail?: string;
}

/**
 * Appends to audit_log. Pass the transaction's EntityManager so the entry commits (or rolls back) with the write
 * it describes; without one it is written on its own.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: Db) {}

  async record(entry: AuditEntry, manager: EntityManager = this.db.manager): Promise<void> {
    await this.insert(entry, manager, false);
  }

  /**
   * Like record, unless the same action on the same entity with the same `after` is already logged: a write that
   * completes a request another attempt began (same Idempotency-Key) is logged once. Lock the entity's row first.
   */
  async recordOnce(entry: AuditEntry): Promise<void> {
    await this.insert(entry, this.db.manager, true);
  }

  private async insert(entry: AuditEntry, manager: EntityManager, once: boolean): Promise<void> {
    const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
    await manager.query(
      `INSERT INTO audit_log (actor_id, actor_email, actor_roles, action, entity, entity_id, ip, before, after)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb
        WHERE NOT $10::boolean OR NOT EXISTS (SELECT 1 FROM audit_log WHERE action = $4 AND entity = $5 AND entity_id = $6 AND after = $9::jsonb)`,
      [
        entry.actor?.id ?? null,
        entry.actor?.email ?? entry.actorEmail ?? null,
        entry.actor?.roles ?? [],
        entry.action,
        entry.entity,
        entry.entityId ?? null,
        entry.ip ?? null,
        json(entry.before),
        json(entry.after),
        once,
      ],
    );
  }

  /** Newest first, paged by id. */
  async list(q: AuditLogQuery) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, op: string, value: unknown) => value !== undefined && (params.push(value), where.push(`${column} ${op} $${params.length}`));
    add('entity', '=', q.entity);
    add('entity_id', '=', q.entityId);
    add('actor_id', '=', q.actorId);
    add('action', '=', q.action);
    // prefix and substring matches as strpos/left, so % and _ in the input are plain characters
    if (q.actionPrefix !== undefined) add(`left(action, ${q.actionPrefix.length})`, '=', q.actionPrefix);
    if (q.actor !== undefined) {
      params.push(q.actor);
      where.push(`strpos(lower(coalesce(actor_email, '')), lower($${params.length})) > 0`);
    }
    add('at', '>=', q.from);
    add('at', '<', q.to);
    add('id', '<', q.before);
    params.push(q.limit ?? 100);
    const rows = await this.db.query(
      `SELECT id, at, actor_id, actor_email, actor_roles, action, entity, entity_id, ip, before, after FROM audit_log
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map((r: any) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorEmail: r.actor_email,
      actorRoles: r.actor_roles,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      ip: r.ip,
      before: r.before,
      after: r.after,
    }));
  }
}

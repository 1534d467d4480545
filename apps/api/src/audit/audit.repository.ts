import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';

export interface AuditLogRow {
  /** bigint: as text. */
  id: string;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  actorRoles: string[];
  action: string;
  entity: string;
  entityId: string | null;
  ip: string | null;
  before: unknown;
  after: unknown;
}

export type NewAuditRow = Omit<AuditLogRow, 'id' | 'at'>;

/** Every filter is optional; those given must all hold. */
export interface AuditLogFilter {
  entity?: string;
  entityId?: string;
  actorId?: string;
  action?: string;
  /** Actions starting with this text. */
  actionPrefix?: string;
  /** Part of the actor's e-mail, case-insensitive. */
  actor?: string;
  /** ISO instant, inclusive. */
  from?: string;
  /** ISO instant, exclusive. */
  to?: string;
  /** Entries with id below this (paging backwards). */
  before?: number;
}

/**
 * The head of every INSERT into audit_log, its columns in the order the values follow: AuditRepository's, and the
 * draft save's, which writes its entry in the same statement as the save (submission.repository.ts).
 */
export const INSERT_INTO_AUDIT_LOG =
  'INSERT INTO audit_log (actor_id, actor_email, actor_roles, action, entity, entity_id, ip, before, after)';

/** audit_log: appended to in the transaction of the write each entry describes (through Db), read newest first. */
@Injectable()
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** `once`: not if the same action on the same entity with the same `after` is logged already. */
  async insert(e: NewAuditRow, once: boolean): Promise<void> {
    const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
    await this.db.query(
      `${INSERT_INTO_AUDIT_LOG}
       SELECT $1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb
        WHERE NOT $10::boolean OR NOT EXISTS (SELECT 1 FROM audit_log WHERE action = $4 AND entity = $5 AND entity_id = $6 AND after = $9::jsonb)`,
      [
        e.actorId,
        e.actorEmail,
        e.actorRoles,
        e.action,
        e.entity,
        e.entityId,
        e.ip,
        json(e.before),
        json(e.after),
        once,
      ],
    );
  }

  /** Newest first, paged by id. */
  list(f: AuditLogFilter, limit: number): Promise<AuditLogRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (column: string, op: string, value: unknown) =>
      value !== undefined && (params.push(value), where.push(`${column} ${op} $${params.length}`));
    add('entity', '=', f.entity);
    add('entity_id', '=', f.entityId);
    add('actor_id', '=', f.actorId);
    add('action', '=', f.action);
    // prefix and substring matches as strpos/left, so % and _ in the input are plain characters
    if (f.actionPrefix !== undefined) add(`left(action, ${f.actionPrefix.length})`, '=', f.actionPrefix);
    if (f.actor !== undefined) {
      params.push(f.actor);
      where.push(`strpos(lower(coalesce(actor_email, '')), lower($${params.length})) > 0`);
    }
    add('at', '>=', f.from);
    add('at', '<', f.to);
    add('id', '<', f.before);
    params.push(limit);
    return this.db.query<AuditLogRow>(
      `SELECT id, at, actor_id AS "actorId", actor_email AS "actorEmail", actor_roles AS "actorRoles", action, entity, entity_id AS "entityId", ip, before, after
         FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
  }
}

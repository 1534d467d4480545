import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { AuthUser } from '../auth/roles';

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
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async record(entry: AuditEntry, manager: EntityManager = this.db.manager): Promise<void> {
    const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(v));
    await manager.query(
      `INSERT INTO audit_log (actor_id, actor_email, actor_roles, action, entity, entity_id, ip, before, after)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb)`,
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
      ],
    );
  }
}

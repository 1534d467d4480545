import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Db } from '../../../../libs/persistence/src';
import type { AuthUser } from '../auth/roles';
import type { AuditLogQuery } from './audit-log.controller';
import { AuditRepository } from './audit.repository';

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
 * Appends to audit_log through Db: inside a Db transaction the entry commits (or rolls back) with the write it
 * describes; outside one it is written on its own.
 */
@Injectable()
export class AuditService {
  constructor(
    private readonly db: Db,
    private readonly entries: AuditRepository,
  ) {}

  /**
   * `inTransaction`: the manager of the caller's Db transaction, if the caller wants that stated. It must be the one
   * Db runs on in this context — an entry written elsewhere would outlive a rollback of the write it describes.
   */
  async record(entry: AuditEntry, inTransaction?: EntityManager): Promise<void> {
    if (inTransaction && inTransaction !== this.db.manager)
      throw new Error(`audit entry ${entry.action}: the given transaction is not the one open in this context`);
    await this.insert(entry, false);
  }

  /**
   * Like record, unless the same action on the same entity with the same `after` is already logged: a write that
   * completes a request another attempt began (same Idempotency-Key) is logged once. Lock the entity's row first.
   */
  async recordOnce(entry: AuditEntry): Promise<void> {
    await this.insert(entry, true);
  }

  private async insert(entry: AuditEntry, once: boolean): Promise<void> {
    await this.entries.insert(
      {
        actorId: entry.actor?.id ?? null,
        actorEmail: entry.actor?.email ?? entry.actorEmail ?? null,
        actorRoles: entry.actor?.roles ?? [],
        action: entry.action,
        entity: entry.entity,
        entityId: entry.entityId ?? null,
        ip: entry.ip ?? null,
        before: entry.before,
        after: entry.after,
      },
      once,
    );
  }

  /** Newest first, paged by id. */
  async list(q: AuditLogQuery) {
    const rows = await this.entries.list(q, q.limit ?? 100);
    return rows.map((r) => ({ ...r, id: Number(r.id), at: r.at.toISOString() }));
  }
}

import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';

export interface InboxMessageRow {
  /** bigint: as text. */
  id: string;
  noticeKind: string;
  subject: string;
  body: string;
  link: string | null;
  createdAt: Date;
  readAt: Date | null;
}

const COLUMNS = `id, notice_kind AS "noticeKind", subject, body, link, created_at AS "createdAt", read_at AS "readAt"`;

/** `unit_id = $n` for a unit, `$n IS NULL AND unit_id IS NULL` for the office (plain equality keeps the unit index). */
const ownerIs = (unitId: string | null, n: number) =>
  unitId ? `unit_id = $${n}` : `$${n}::uuid IS NULL AND unit_id IS NULL`;

/** inbox_message, read by its owner: a unit, or (`unitId` null) the office's own inbox. */
@Injectable()
export class InboxRepository {
  constructor(private readonly db: Db) {}

  /** Newest first. */
  page(unitId: string | null, unreadOnly: boolean, limit: number): Promise<InboxMessageRow[]> {
    return this.db.query<InboxMessageRow>(
      `SELECT ${COLUMNS} FROM inbox_message
        WHERE ${ownerIs(unitId, 1)} AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [unitId, unreadOnly, limit],
    );
  }

  /** Marks the owner's message read (keeping its first read time); undefined when the owner has no such message. */
  async markRead(unitId: string | null, id: string): Promise<InboxMessageRow | undefined> {
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affectedCount].
    const [rows] = (await this.db.query(
      `UPDATE inbox_message SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND ${ownerIs(unitId, 2)} RETURNING ${COLUMNS}`,
      [id, unitId],
    )) as unknown as [InboxMessageRow[], number];
    return rows[0];
  }

  async countUnread(unitId: string | null): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM inbox_message WHERE ${ownerIs(unitId, 1)} AND read_at IS NULL`,
      [unitId],
    );
    return n;
  }
}

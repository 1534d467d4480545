import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DomainError } from '../../../../libs/domain/src';
import { AuthUser, UnitAccessService } from '../auth';
import type { InboxMessageDto, InboxPageDto, InboxQuery, UnreadCountDto } from './inbox.dto';

/** The in-app inbox of a unit: messages the `inbox` notice channel wrote (activities/notices). */
@Injectable()
export class InboxService {
  constructor(
    private readonly db: Db,
    private readonly access: UnitAccessService,
  ) {}

  async list(user: AuthUser, code: string, q: InboxQuery): Promise<InboxPageDto> {
    const unitId = await this.readableUnit(user, code);
    const rows = await this.db.query(
      `SELECT id, notice_kind, subject, body, link, created_at, read_at FROM inbox_message
        WHERE unit_id = $1 AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [unitId, q.unreadOnly ?? false, q.limit ?? 50],
    );
    return { unitCode: code, unread: await this.unread(unitId), items: rows.map(toDto) };
  }

  async unreadCount(user: AuthUser, code: string): Promise<UnreadCountDto> {
    return { unitCode: code, unread: await this.unread(await this.readableUnit(user, code)) };
  }

  /** Idempotent: reading a read message keeps its first read time. */
  async markRead(user: AuthUser, code: string, id: string): Promise<InboxMessageDto> {
    const unitId = await this.unitId(code);
    this.access.assertWrite(user, unitId);
    if (!/^\d{1,18}$/.test(id)) throw DomainError.validation('id must be a message number', [{ field: 'id', problem: 'must be a positive integer' }]);
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affectedCount].
    const [[row]] = await this.db.query(
      `UPDATE inbox_message SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND unit_id = $2
       RETURNING id, notice_kind, subject, body, link, created_at, read_at`,
      [id, unitId],
    );
    if (!row) throw DomainError.notFound(`inbox message ${id} of unit ${code}`);
    return toDto(row);
  }

  private async unread(unitId: string): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM inbox_message WHERE unit_id = $1 AND read_at IS NULL`, [unitId]);
    return n;
  }

  private async readableUnit(user: AuthUser, code: string): Promise<string> {
    const unitId = await this.unitId(code);
    await this.access.assertRead(user, unitId);
    return unitId;
  }

  private async unitId(code: string): Promise<string> {
    const [unit] = await this.db.query(`SELECT id FROM unit WHERE code = $1`, [code]);
    if (!unit) throw DomainError.notFound(`unit ${code}`);
    return unit.id;
  }
}

function toDto(r: any): InboxMessageDto {
  return {
    id: String(r.id),
    kind: r.notice_kind,
    subject: r.subject,
    body: r.body,
    link: r.link,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}

import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { DomainError } from '../../../../libs/domain/src';
import { AuthUser, UnitAccessService } from '../auth';
import type { InboxMessageDto, InboxPageDto, InboxQuery, UnreadCountDto } from './inbox.dto';

/**
 * The in-app inbox of a unit: messages the `inbox` notice channel wrote (activities/notices). The office's own inbox
 * (unit NULL) holds office notices when the unit tree has no unit of kind office; office roles read it.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly db: Db,
    private readonly access: UnitAccessService,
  ) {}

  async list(user: AuthUser, code: string, q: InboxQuery): Promise<InboxPageDto> {
    return this.page(await this.readableUnit(user, code), code, q);
  }

  async unreadCount(user: AuthUser, code: string): Promise<UnreadCountDto> {
    return { unitCode: code, unread: await this.unread(await this.readableUnit(user, code)) };
  }

  /** Idempotent: reading a read message keeps its first read time. */
  async markRead(user: AuthUser, code: string, id: string): Promise<InboxMessageDto> {
    const unitId = await this.unitId(code);
    this.access.assertWrite(user, unitId);
    return this.read(unitId, id, `unit ${code}`);
  }

  /** The office's own inbox (office notices of a tree without an office unit); the controller admits office roles. */
  officePage(q: InboxQuery): Promise<InboxPageDto> {
    return this.page(null, OFFICE_INBOX, q);
  }

  async officeUnreadCount(): Promise<UnreadCountDto> {
    return { unitCode: OFFICE_INBOX, unread: await this.unread(null) };
  }

  officeMarkRead(id: string): Promise<InboxMessageDto> {
    return this.read(null, id, 'the office');
  }

  /** `unitId` null: the office's own inbox. */
  private async page(unitId: string | null, code: string, q: InboxQuery): Promise<InboxPageDto> {
    const rows = await this.db.query(
      `SELECT id, notice_kind, subject, body, link, created_at, read_at FROM inbox_message
        WHERE ${ownerIs(unitId, 1)} AND ($2::boolean IS NOT TRUE OR read_at IS NULL)
        ORDER BY created_at DESC, id DESC LIMIT $3`,
      [unitId, q.unreadOnly ?? false, q.limit ?? 50],
    );
    return { unitCode: code, unread: await this.unread(unitId), items: rows.map(toDto) };
  }

  private async read(unitId: string | null, id: string, owner: string): Promise<InboxMessageDto> {
    if (!/^\d{1,18}$/.test(id)) throw DomainError.validation('id must be a message number', [{ field: 'id', problem: 'must be a positive integer' }]);
    // TypeORM answers an UPDATE … RETURNING on PostgreSQL with [rows, affectedCount].
    const [[row]] = await this.db.query(
      `UPDATE inbox_message SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND ${ownerIs(unitId, 2)}
       RETURNING id, notice_kind, subject, body, link, created_at, read_at`,
      [id, unitId],
    );
    if (!row) throw DomainError.notFound(`inbox message ${id} of ${owner}`);
    return toDto(row);
  }

  private async unread(unitId: string | null): Promise<number> {
    const [{ n }] = await this.db.query(`SELECT count(*)::int AS n FROM inbox_message WHERE ${ownerIs(unitId, 1)} AND read_at IS NULL`, [unitId]);
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

/** `unit_id = $n` for a unit, `$n IS NULL AND unit_id IS NULL` for the office (plain equality keeps the unit index). */
const ownerIs = (unitId: string | null, n: number) => (unitId ? `unit_id = $${n}` : `$${n}::uuid IS NULL AND unit_id IS NULL`);

/** The unitCode the office's own inbox answers with. */
export const OFFICE_INBOX = 'office';

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

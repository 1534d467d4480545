import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../../libs/domain/src';
import { AuthUser, UnitAccessService } from '../auth';
import { UnitRepository } from '../units/unit.repository';
import type { InboxMessageDto, InboxPageDto, InboxQuery, UnreadCountDto } from './inbox.dto';
import { InboxRepository, type InboxMessageRow } from './inbox.repository';

/**
 * The in-app inbox of a unit: messages the `inbox` notice channel wrote (activities/notices). The office's own inbox
 * (unit NULL) holds office notices when the unit tree has no unit of kind office; office roles read it.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly messages: InboxRepository,
    private readonly units: UnitRepository,
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
    const rows = await this.messages.page(unitId, q.unreadOnly ?? false, q.limit ?? 50);
    return { unitCode: code, unread: await this.unread(unitId), items: rows.map(toDto) };
  }

  private async read(unitId: string | null, id: string, owner: string): Promise<InboxMessageDto> {
    if (!/^\d{1,18}$/.test(id))
      throw DomainError.validation('id must be a message number', [
        { field: 'id', problem: 'must be a positive integer' },
      ]);
    const row = await this.messages.markRead(unitId, id);
    if (!row) throw DomainError.notFound(`inbox message ${id} of ${owner}`);
    return toDto(row);
  }

  private unread(unitId: string | null): Promise<number> {
    return this.messages.countUnread(unitId);
  }

  private async readableUnit(user: AuthUser, code: string): Promise<string> {
    const unitId = await this.unitId(code);
    await this.access.assertRead(user, unitId);
    return unitId;
  }

  private async unitId(code: string): Promise<string> {
    const unitId = await this.units.idOfCode(code);
    if (!unitId) throw DomainError.notFound(`unit ${code}`);
    return unitId;
  }
}

/** The unitCode the office's own inbox answers with. */
export const OFFICE_INBOX = 'office';

function toDto(r: InboxMessageRow): InboxMessageDto {
  return {
    id: String(r.id),
    kind: r.noticeKind,
    subject: r.subject,
    body: r.body,
    link: r.link,
    createdAt: new Date(r.createdAt).toISOString(),
    readAt: r.readAt ? new Date(r.readAt).toISOString() : null,
  };
}

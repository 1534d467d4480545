import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { CycleQueriesService } from './cycle-queries.service';
import type { UnitNoticeDto } from './dto/unit-notices.dto';

/**
 * The notices one unit got in one cycle, oldest first, each with its deliveries: channel, recipient by name, sent,
 * read (inbox). Addresses and errors stay out: webhook URLs and robot secrets are never shown back.
 */
@Injectable()
export class UnitNoticesService {
  constructor(
    private readonly db: Db,
    private readonly queries: CycleQueriesService,
    private readonly access: UnitAccessService,
  ) {}

  async list(user: AuthUser, cycleId: string, unitRef: string): Promise<UnitNoticeDto[]> {
    const member = await this.queries.member(cycleId, unitRef);
    await this.access.assertRead(user, member.unitId);
    return this.db.query(
      `SELECT n.id::text AS id, n.step_key AS "stepKey", n.kind, n.occurrence, n.rung, n.audience,
              n.scheduled_for AS "scheduledFor", n.due_at AS "dueAt",
              coalesce(jsonb_agg(jsonb_build_object(
                'channel', d.channel, 'recipientName', d.recipient_name, 'recipientUnitName', coalesce(ru.name, ''),
                'status', d.status, 'sentAt', d.sent_at, 'readAt', m.read_at, 'notBefore', d.not_before, 'attempts', d.attempts)
                ORDER BY d.channel, d.recipient_name) FILTER (WHERE d.id IS NOT NULL), '[]') AS deliveries
         FROM notice n
         LEFT JOIN notice_delivery d ON d.notice_id = n.id
         LEFT JOIN unit ru ON ru.id = d.recipient_unit_id
         LEFT JOIN inbox_message m ON m.delivery_id = d.id
        WHERE n.cycle_id = $1 AND n.unit_id = $2
        GROUP BY n.id ORDER BY n.scheduled_for, n.id`,
      [member.cycleId, member.unitId],
    );
  }
}

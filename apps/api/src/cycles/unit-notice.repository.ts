import { Injectable } from '@nestjs/common';
import { Db, type DeliveryStatus } from '../../../../libs/persistence/src';

/** One delivery of a notice as a unit's page shows it: no address, no error text. Dates as JSON strings (jsonb). */
export interface NoticeDeliveryView {
  channel: string;
  recipientName: string;
  recipientUnitName: string;
  status: DeliveryStatus;
  sentAt: string | null;
  readAt: string | null;
  notBefore: string | null;
  attempts: number;
}

export interface UnitNoticeRow {
  id: string;
  stepKey: string;
  kind: string;
  occurrence: number;
  rung: number | null;
  audience: string;
  scheduledFor: Date;
  dueAt: Date;
  deliveries: NoticeDeliveryView[];
}

/** A delivery that gave up (or a notice that reached no one: channel 'none'), with its notice. */
export interface DeadDeliveryRow {
  deadAt: Date;
  channel: string;
  recipientName: string;
  lastError: string | null;
  kind: string;
  audience: string;
  stepKey: string;
}

/** The api's reads of the notices one unit got in one cycle (notice, notice_delivery, inbox_message). */
@Injectable()
export class UnitNoticeRepository {
  constructor(private readonly db: Db) {}

  /** Oldest first, each with its deliveries by channel and recipient. */
  forUnit(cycleId: string, unitId: string): Promise<UnitNoticeRow[]> {
    return this.db.query<UnitNoticeRow>(
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
      [cycleId, unitId],
    );
  }

  /** Dead deliveries of the unit's notices, in the order they died. */
  deadDeliveries(cycleId: string, unitId: string): Promise<DeadDeliveryRow[]> {
    return this.db.query<DeadDeliveryRow>(
      `SELECT d.dead_at AS "deadAt", d.channel, d.recipient_name AS "recipientName", d.last_error AS "lastError", n.kind, n.audience, n.step_key AS "stepKey"
         FROM notice n JOIN notice_delivery d ON d.notice_id = n.id
        WHERE n.cycle_id = $1 AND n.unit_id = $2 AND d.status = 'dead' ORDER BY d.dead_at, d.id`,
      [cycleId, unitId],
    );
  }
}

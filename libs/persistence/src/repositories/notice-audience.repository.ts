import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { UnitContact } from '../entities/unit.entity';
import { Db } from '../db';
import type { Queryable } from '../queryable';

/** The columns of a unit that say who its notices reach. */
export interface AudienceUnitRow {
  id: string;
  code: string;
  name: string;
  kind: string;
  parent_id: string | null;
  secretary_name: string | null;
  email: string | null;
  webhook_url: string | null;
  contacts: UnitContact[];
  time_zone: string | null;
}

const COLUMNS = 'id, code, name, kind, parent_id, secretary_name, email, webhook_url, contacts, time_zone';

/** The unit lookups of recipient resolution (libs/notifications/src/planning/notice-recipients.ts). */
@Injectable()
export class NoticeAudienceRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  static on(manager: EntityManager): NoticeAudienceRepository {
    return new NoticeAudienceRepository(manager);
  }

  async unit(id: string): Promise<AudienceUnitRow | undefined> {
    return (await this.db.query<AudienceUnitRow>(`SELECT ${COLUMNS} FROM unit WHERE id = $1`, [id]))[0];
  }

  /**
   * The office of a unit: the root of its tree when that root is of kind office, else any parentless unit of kind
   * office (by code), else none.
   */
  officeOf(unitId: string): Promise<AudienceUnitRow[]> {
    return this.db.query<AudienceUnitRow>(
      `WITH RECURSIVE up AS (
         SELECT u.*, 0 AS depth FROM unit u WHERE u.id = $1
         UNION ALL SELECT p.*, up.depth + 1 FROM unit p JOIN up ON p.id = up.parent_id WHERE up.depth < 50)
       SELECT ${COLUMNS} FROM (
         SELECT up.*, 0 AS pref FROM up WHERE up.parent_id IS NULL AND up.kind = 'office'
         UNION ALL SELECT u.*, 999 AS depth, 1 AS pref FROM unit u WHERE u.parent_id IS NULL AND u.kind = 'office'
       ) o ORDER BY pref, code LIMIT 1`,
      [unitId],
    );
  }
}

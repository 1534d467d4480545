import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { CycleQueriesService } from './cycle-queries.service';
import { UnitNoticeRepository, type UnitNoticeRow } from './unit-notice.repository';

/**
 * The notices one unit got in one cycle, oldest first, each with its deliveries: channel, recipient by name, sent,
 * read (inbox). Addresses and errors stay out: webhook URLs and robot secrets are never shown back.
 */
@Injectable()
export class UnitNoticesService {
  constructor(
    private readonly notices: UnitNoticeRepository,
    private readonly queries: CycleQueriesService,
    private readonly access: UnitAccessService,
  ) {}

  async list(user: AuthUser, cycleId: string, unitRef: string): Promise<UnitNoticeRow[]> {
    const member = await this.queries.member(cycleId, unitRef);
    await this.access.assertRead(user, member.unitId);
    return this.notices.forUnit(member.cycleId, member.unitId);
  }
}

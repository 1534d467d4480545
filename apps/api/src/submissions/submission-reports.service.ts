import { Injectable } from '@nestjs/common';
import { itemStepKey } from '../../../../libs/domain/src/campaign';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { readableBy } from '../units/unit.repository';
import type { RectificationItemDto, StepCountsDto } from './submission-view.dto';
import { SubmissionReportsRepository } from './submission-reports.repository';

/** Counts and structured data across submissions, limited to the units the caller may read. */
@Injectable()
export class SubmissionReportsService {
  constructor(
    private readonly rows: SubmissionReportsRepository,
    private readonly access: UnitAccessService,
  ) {}

  /** Per step of the cycle: how many units have a draft, are awaiting review, were returned, were accepted. */
  async counts(cycleId: string, user: AuthUser): Promise<StepCountsDto[]> {
    const rows = await this.rows.stepCounts(cycleId, readableBy(this.access, user));
    return rows.map((r) => ({
      stepKey: r.step_key,
      draft: r.draft,
      submitted: r.submitted,
      returned: r.returned,
      accepted: r.accepted,
    }));
  }

  /**
   * Rectification items (整改落实方案) of the accepted versions, one row per item: the plan as data, for follow-up
   * of each item to completion (seed 004 step 6). Items are numbered 1… across the version's plan_with_items
   * deliverables, as the unit workflow tracks them (step `<step>#item-<n>`, rectification-item-steps.ts); its
   * read-model row gives the item's progress.
   */
  async rectificationItems(cycleId: string, user: AuthUser): Promise<RectificationItemDto[]> {
    const rows = await this.rows.rectificationItems(cycleId, readableBy(this.access, user));
    return rows.map((r) => ({
      submissionId: r.submission_id,
      unitId: r.unit_id,
      stepKey: r.step_key,
      version: r.version,
      deliverableKey: r.deliverable_key,
      itemNo: r.item_no,
      ...r.item,
      itemStepKey: itemStepKey(r.step_key, r.item_no),
      itemStatus: r.item_status,
      itemDueAt: r.item_due_at?.toISOString() ?? null,
    }));
  }
}

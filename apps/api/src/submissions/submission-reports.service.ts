import { Injectable } from '@nestjs/common';
import { ITEM_KEY_INFIX, itemStepKey } from '../../../../libs/domain/src/campaign';
import { Db } from '../../../../libs/persistence/src';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';

/** Counts and structured data across submissions, limited to the units the caller may read. */
@Injectable()
export class SubmissionReportsService {
  constructor(
    private readonly db: Db,
    private readonly access: UnitAccessService,
  ) {}

  /** Per step of the cycle: how many units have a draft, are awaiting review, were returned, were accepted. */
  async counts(cycleId: string, user: AuthUser) {
    const scope = this.access.readableUnitsFilter(user, 'unit_id', 2);
    const rows = await this.db.query(
      `SELECT step_key,
              count(*) FILTER (WHERE status = 'draft')::int AS draft,
              count(*) FILTER (WHERE status = 'submitted')::int AS submitted,
              count(*) FILTER (WHERE status = 'returned')::int AS returned,
              count(*) FILTER (WHERE status = 'accepted')::int AS accepted
         FROM submission WHERE cycle_id = $1 ${scope ? `AND ${scope.sql}` : ''}
        GROUP BY step_key ORDER BY step_key`,
      [cycleId, ...(scope?.params ?? [])],
    );
    return rows.map((r: any) => ({ stepKey: r.step_key, draft: r.draft, submitted: r.submitted, returned: r.returned, accepted: r.accepted }));
  }

  /**
   * Rectification items (整改落实方案) of the accepted versions, one row per item: the plan as data, for follow-up
   * of each item to completion (seed 004 step 6).
   */
  async rectificationItems(cycleId: string, user: AuthUser) {
    const scope = this.access.readableUnitsFilter(user, 's.unit_id', 3);
    // Items are numbered 1… across the version's plan_with_items deliverables, as the unit workflow tracks them
    // (step `<step>#item-<n>`, rectification-item-steps.ts); its read-model row gives the item's progress.
    const rows = await this.db.query(
      `WITH items AS (
         SELECT s.id AS submission_id, s.cycle_id, s.unit_id, s.step_key, v.version, d.value->>'key' AS deliverable_key, item.value AS item,
                (row_number() OVER (PARTITION BY v.id ORDER BY d.ordinality, item.ordinality))::int AS item_no
           FROM submission s
           JOIN submission_version v ON v.submission_id = s.id AND v.decision = 'accepted'
           CROSS JOIN LATERAL jsonb_array_elements(v.content->'deliverables') WITH ORDINALITY d
           CROSS JOIN LATERAL jsonb_array_elements(d.value->'fields'->'items') WITH ORDINALITY item
          WHERE s.cycle_id = $1 AND d.value->>'kind' = 'plan_with_items' ${scope ? `AND ${scope.sql}` : ''})
       SELECT i.*, us.status AS item_status, us.due_at AS item_due_at
         FROM items i
         LEFT JOIN unit_step_status us ON us.cycle_id = i.cycle_id AND us.unit_id = i.unit_id AND us.step_key = i.step_key || $2::text || i.item_no
        ORDER BY i.unit_id, i.step_key, i.item_no`,
      [cycleId, ITEM_KEY_INFIX, ...(scope?.params ?? [])],
    );
    return rows.map((r: any) => ({
      submissionId: r.submission_id,
      unitId: r.unit_id,
      stepKey: r.step_key,
      version: r.version,
      deliverableKey: r.deliverable_key,
      itemNo: r.item_no,
      ...r.item,
      itemStepKey: itemStepKey(r.step_key, r.item_no),
      itemStatus: r.item_status ?? null,
      itemDueAt: r.item_due_at ? new Date(r.item_due_at).toISOString() : null,
    }));
  }
}

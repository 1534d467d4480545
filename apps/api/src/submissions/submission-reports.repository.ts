import { Inject, Injectable } from '@nestjs/common';
import { ITEM_KEY_INFIX } from '../../../../libs/domain/src/campaign';
import type { RectificationItemFields } from '../../../../libs/domain/src/deliverables/deliverable-kinds';
import { Db, type Queryable } from '../../../../libs/persistence/src';
import type { StepStatus } from '../../../../libs/persistence/src/row-types';
import type { UnitScope } from '../../../../libs/persistence/src/unit-scope';

/** Per step of a cycle: how many of the units' submissions are in each status. */
export interface StepCountsRow {
  step_key: string;
  draft: number;
  submitted: number;
  returned: number;
  accepted: number;
}

/** One item of an accepted version's plan_with_items deliverables, with its item step's progress. */
export interface RectificationItemRow {
  submission_id: string;
  cycle_id: string;
  unit_id: string;
  step_key: string;
  version: number;
  deliverable_key: string;
  /** The item as submitted (the plan_with_items row). */
  item: RectificationItemFields;
  /** 1… across the version's plan_with_items deliverables, as the unit workflow numbers the item steps. */
  item_no: number;
  /** The item step's status in the read model; null until the workflow recorded it. */
  item_status: StepStatus | null;
  item_due_at: Date | null;
}

/** Counts and structured data across submissions, within the caller's units (SubmissionReportsService). */
@Injectable()
export class SubmissionReportsRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  /** By step key. */
  stepCounts(cycleId: string, scope: UnitScope): Promise<StepCountsRow[]> {
    const readable = scope('unit_id', 2);
    return this.db.query<StepCountsRow>(
      `SELECT step_key,
              count(*) FILTER (WHERE status = 'draft')::int AS draft,
              count(*) FILTER (WHERE status = 'submitted')::int AS submitted,
              count(*) FILTER (WHERE status = 'returned')::int AS returned,
              count(*) FILTER (WHERE status = 'accepted')::int AS accepted
         FROM submission WHERE cycle_id = $1 ${readable ? `AND ${readable.sql}` : ''}
        GROUP BY step_key ORDER BY step_key`,
      [cycleId, ...(readable?.params ?? [])],
    );
  }

  /** The items of the accepted versions, by unit, step and item number (item steps keyed as in item-key.ts). */
  rectificationItems(cycleId: string, scope: UnitScope): Promise<RectificationItemRow[]> {
    const readable = scope('s.unit_id', 3);
    return this.db.query<RectificationItemRow>(
      `WITH items AS (
         SELECT s.id AS submission_id, s.cycle_id, s.unit_id, s.step_key, v.version, d.value->>'key' AS deliverable_key, item.value AS item,
                (row_number() OVER (PARTITION BY v.id ORDER BY d.ordinality, item.ordinality))::int AS item_no
           FROM submission s
           JOIN submission_version v ON v.submission_id = s.id AND v.decision = 'accepted'
           CROSS JOIN LATERAL jsonb_array_elements(v.content->'deliverables') WITH ORDINALITY d
           CROSS JOIN LATERAL jsonb_array_elements(d.value->'fields'->'items') WITH ORDINALITY item
          WHERE s.cycle_id = $1 AND d.value->>'kind' = 'plan_with_items' ${readable ? `AND ${readable.sql}` : ''})
       SELECT i.*, us.status AS item_status, us.due_at AS item_due_at
         FROM items i
         LEFT JOIN unit_step_status us ON us.cycle_id = i.cycle_id AND us.unit_id = i.unit_id AND us.step_key = i.step_key || $2::text || i.item_no
        ORDER BY i.unit_id, i.step_key, i.item_no`,
      [cycleId, ITEM_KEY_INFIX, ...(readable?.params ?? [])],
    );
  }
}

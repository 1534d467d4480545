import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import type { CyclePlan } from '../../../../libs/domain/src';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import type { ReviewQueueDto, ReviewQueueQuery } from './review-queue.dto';
import type { VersionContent } from './submission-views';

/**
 * The office's review queue: every latest version still awaiting a decision, oldest submission first (first come,
 * first reviewed), with the deliverables as submitted and titled from the cycle's plan, so a reviewer reads them
 * without a second request per item.
 */
@Injectable()
export class ReviewQueueService {
  constructor(
    private readonly db: Db,
    private readonly access: UnitAccessService,
  ) {}

  async queue(q: ReviewQueueQuery, user: AuthUser): Promise<ReviewQueueDto> {
    const params: unknown[] = [q.cycleId ?? null];
    const scope = this.access.readableUnitsFilter(user, 's.unit_id', 2);
    if (scope) params.push(...scope.params);
    const where = `s.status = 'submitted' AND v.decision IS NULL AND ($1::uuid IS NULL OR s.cycle_id = $1) ${scope ? `AND ${scope.sql}` : ''}`;
    const from = `FROM submission s JOIN submission_version v ON v.submission_id = s.id AND v.version = s.current_version`;
    const [{ total }] = await this.db.query(`SELECT count(*)::int AS total ${from} WHERE ${where}`, params);
    const rows = await this.db.query(
      `SELECT s.id, s.cycle_id, s.unit_id, s.step_key, v.id AS version_id, v.version, v.content, v.submitted_at, a.email AS submitted_by,
              c.name AS cycle_name, c.time_zone AS cycle_zone, u.code AS unit_code, u.name AS unit_name, st.title AS step_title, st.due_at,
              cp.plan,
              (SELECT count(*)::int FROM submission_version r WHERE r.submission_id = s.id AND r.decision = 'returned') AS returned_before
         ${from}
         JOIN campaign_cycle c ON c.id = s.cycle_id
         JOIN unit u ON u.id = s.unit_id
         LEFT JOIN app_user a ON a.id = v.submitted_by
         LEFT JOIN unit_step_status st ON st.cycle_id = s.cycle_id AND st.unit_id = s.unit_id AND st.step_key = s.step_key
         LEFT JOIN cycle_unit cu ON cu.cycle_id = s.cycle_id AND cu.unit_id = s.unit_id
         LEFT JOIN cycle_plan cp ON cp.cycle_id = s.cycle_id AND cp.unit_kind = cu.unit_kind
        WHERE ${where}
        ORDER BY v.submitted_at, s.id
        LIMIT ${Number(q.limit ?? 200)}`,
      params,
    );
    return { total, items: rows.map(toItem) };
  }
}

function toItem(r: any) {
  const plan = r.plan as CyclePlan | null;
  const step = plan?.stages.flatMap((s) => s.steps).find((s) => s.key === r.step_key);
  const content = r.content as VersionContent;
  return {
    submissionId: r.id,
    version: r.version,
    versionId: r.version_id,
    submittedAt: new Date(r.submitted_at).toISOString(),
    submittedBy: r.submitted_by ?? null,
    cycleId: r.cycle_id,
    cycleName: r.cycle_name,
    timeZone: plan?.timeZone ?? r.cycle_zone ?? 'Asia/Shanghai',
    unitId: r.unit_id,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    stepKey: r.step_key,
    stepTitle: r.step_title ?? step?.title ?? r.step_key,
    dueAt: r.due_at ? new Date(r.due_at).toISOString() : null,
    returnedBefore: r.returned_before,
    deliverables: content.deliverables.map((d) => ({
      key: d.key,
      kind: d.kind,
      title: step?.deliverables.find((p) => p.key === d.key)?.title ?? d.key,
      ...(d.text !== undefined ? { text: d.text } : {}),
      ...(d.fields !== undefined ? { fields: d.fields } : {}),
      attachments: (d.attachments ?? []).map((a) => ({ id: a.id, fileName: a.fileName, mimeType: a.mimeType, sizeBytes: a.sizeBytes })),
    })),
  };
}

import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { readableBy } from '../units/unit.repository';
import type { ReviewQueueDto, ReviewQueueItemDto, ReviewQueueQuery } from './review-queue.dto';
import { ReviewQueueRepository, type AwaitingReviewRow } from './review-queue.repository';

/**
 * The office's review queue: every latest version still awaiting a decision, oldest submission first (first come,
 * first reviewed), with the deliverables as submitted and titled from the cycle's plan, so a reviewer reads them
 * without a second request per item.
 */
@Injectable()
export class ReviewQueueService {
  constructor(
    private readonly rows: ReviewQueueRepository,
    private readonly access: UnitAccessService,
  ) {}

  async queue(q: ReviewQueueQuery, user: AuthUser): Promise<ReviewQueueDto> {
    const { total, rows } = await this.rows.awaiting({
      cycleId: q.cycleId ?? null,
      scope: readableBy(this.access, user),
      limit: q.limit ?? 200,
    });
    return { total, items: rows.map(toItem) };
  }
}

function toItem(r: AwaitingReviewRow): ReviewQueueItemDto {
  const step = r.plan?.stages.flatMap((s) => s.steps).find((s) => s.key === r.step_key);
  return {
    submissionId: r.id,
    version: r.version,
    versionId: r.version_id,
    submittedAt: r.submitted_at.toISOString(),
    submittedBy: r.submitted_by,
    cycleId: r.cycle_id,
    cycleName: r.cycle_name,
    timeZone: r.plan?.timeZone ?? r.cycle_zone ?? 'Asia/Shanghai',
    unitId: r.unit_id,
    unitCode: r.unit_code,
    unitName: r.unit_name,
    stepKey: r.step_key,
    stepTitle: r.step_title ?? step?.title ?? r.step_key,
    dueAt: r.due_at?.toISOString() ?? null,
    returnedBefore: r.returned_before,
    deliverables: r.content.deliverables.map((d) => ({
      key: d.key,
      kind: d.kind,
      title: step?.deliverables.find((p) => p.key === d.key)?.title ?? d.key,
      ...(d.text !== undefined ? { text: d.text } : {}),
      ...(d.fields !== undefined ? { fields: d.fields } : {}),
      attachments: (d.attachments ?? []).map((a) => ({
        id: a.id,
        fileName: a.fileName,
        mimeType: a.mimeType,
        sizeBytes: a.sizeBytes,
      })),
    })),
  };
}

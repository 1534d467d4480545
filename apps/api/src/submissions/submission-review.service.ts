import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { AuditService } from '../audit/audit.service';
import { derivedUuid, IdempotencyService } from '../idempotency/idempotency.service';
import { StepContextService, throwIfProblems } from './step-context';
import type { ReviewDto } from './submission.dto';
import { AttachmentView, DeliverableEntry, toAttachmentView, VersionContent, type SubmissionView } from './submission-views';
import { Caller, SubmissionsService } from './submissions.service';
import { itemsForWorkflow } from './rectification-item-steps';
import { UnitWorkflowUpdates } from './unit-workflow-updates';

/**
 * Submit and review. Each runs in one transaction that is committed only after the unit workflow accepted the
 * update: a refusal (409) rolls back the version, the status change, the audit row and the idempotency claim, so
 * nothing is half-done. The update id is derived from the version id, which is derived from the Idempotency-Key:
 * if the commit itself fails after the workflow accepted, a retry with the same key re-sends the same update id,
 * Temporal answers with the first outcome, and the commit is attempted again.
 */
@Injectable()
export class SubmissionReviewService {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly steps: StepContextService,
    private readonly idempotency: IdempotencyService,
    private readonly updates: UnitWorkflowUpdates,
    private readonly audit: AuditService,
  ) {}

  async submit(id: string, caller: Caller, key: string): Promise<SubmissionView> {
    return this.idempotency.run({ actor: caller.user.id, key, route: `POST /api/submissions/${id}/submit`, request: {} }, async (m) => {
      const row = await this.submissions.lockForWrite(m, id, caller.user);
      if (row.status !== 'draft' && row.status !== 'returned') {
        throw new DomainError(ErrorCode.Conflict, `submission ${id} is already ${row.status}`, [{ field: 'status', problem: `is ${row.status}; only a draft or a returned submission can be submitted` }]);
      }
      const ctx = await this.steps.resolve(row.cycle_id, row.unit_id, row.step_key);
      const entries: DeliverableEntry[] = row.draft.deliverables;
      throwIfProblems('the draft is not complete', [
        ...this.steps.deliverableProblems(ctx.step, entries, true),
        ...(await this.submissions.attachmentProblems(m, id, entries)),
      ]);
      const attachments: AttachmentView[] = (await m.query(`SELECT * FROM submission_attachment WHERE submission_id = $1`, [id])).map(toAttachmentView);
      // the version keeps the attachments' metadata (name, size, sha-256) as they were when submitted
      const content: VersionContent = {
        deliverables: entries.map((e) => ({
          ...e,
          attachments: attachments.filter((a) => e.attachmentIds?.includes(a.id)).map(({ uploadedBy: _u, uploadedAt: _a, ...meta }) => meta),
        })),
      };
      const version = row.current_version + 1;
      const versionId = derivedUuid('submission-version', caller.user.id, key, id);
      await m.query(`INSERT INTO submission_version (id, submission_id, version, content, submitted_by) VALUES ($1, $2, $3, $4::jsonb, $5)`, [
        versionId,
        id,
        version,
        JSON.stringify(content),
        caller.user.id,
      ]);
      await m.query(`UPDATE submission SET status = 'submitted', current_version = $2, updated_at = now() WHERE id = $1`, [id, version]);
      await this.audit.record(
        { actor: caller.user, action: 'submission.submit', entity: 'submission', entityId: id, ip: caller.ip, before: { status: row.status, version: row.current_version }, after: { status: 'submitted', version, versionId } },
        m,
      );
      const step = await this.updates.submit(ctx.workflowId, { stepKey: row.step_key, submissionId: versionId, actor: caller.user.email });
      if (step.status === 'accepted') {
        // the step needs no review: the workflow completed it with this submission
        await m.query(`UPDATE submission SET status = 'accepted' WHERE id = $1`, [id]);
        await m.query(`UPDATE submission_version SET decision = 'accepted', decided_at = now() WHERE id = $1`, [versionId]);
      }
      return this.submissions.view(m, id);
    });
  }

  async review(id: string, version: number, dto: ReviewDto, caller: Caller, key: string): Promise<SubmissionView> {
    return this.idempotency.run({ actor: caller.user.id, key, route: `POST /api/submissions/${id}/versions/${version}/review`, request: dto }, async (m) => {
      const row = await this.submissions.lockForWrite(m, id, caller.user);
      const [v] = await m.query(`SELECT * FROM submission_version WHERE submission_id = $1 AND version = $2`, [id, version]);
      if (!v) throw DomainError.notFound(`version ${version} of submission ${id}`);
      if (row.status !== 'submitted' || row.current_version !== version || v.decision) {
        throw new DomainError(ErrorCode.Conflict, `version ${version} of submission ${id} is not awaiting review (submission is ${row.status}, latest version ${row.current_version})`);
      }
      const decision = dto.decision === 'accept' ? 'accepted' : 'returned';
      await m.query(`UPDATE submission_version SET decision = $2, decided_by = $3, decided_at = now(), review_comment = $4 WHERE id = $1`, [v.id, decision, caller.user.id, dto.comment ?? null]);
      await m.query(`UPDATE submission SET status = $2, updated_at = now() WHERE id = $1`, [id, decision]);
      await this.audit.record(
        {
          actor: caller.user,
          action: dto.decision === 'accept' ? 'submission.accept' : 'submission.return',
          entity: 'submission',
          entityId: id,
          ip: caller.ip,
          before: { status: row.status, version },
          after: { status: decision, version, versionId: v.id, comment: dto.comment ?? null },
        },
        m,
      );
      const ctx = await this.steps.resolve(row.cycle_id, row.unit_id, row.step_key);
      // Accepting a rectification plan hands its items to the workflow in the same update (no window in between
      // in which the unit could leave the stage with the items not yet tracked).
      const hasItems = dto.decision === 'accept' && ctx.step.deliverables.some((d) => d.kind === 'plan_with_items');
      const items = hasItems ? itemsForWorkflow(v.content, ctx.timeZone) : [];
      await this.updates.review(ctx.workflowId, { stepKey: row.step_key, submissionId: v.id, decision: dto.decision, actor: caller.user.email, comment: dto.comment, ...(items.length ? { items } : {}) });
      return this.submissions.view(m, id);
    });
  }
}

import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { Db } from '../../../../libs/persistence/src';
import { followStepInSubmission } from '../../../../libs/persistence/src/submissions/submission-sync';
import type { StepView } from '../../../../workflows/campaign/messages';
import { AuditService } from '../audit/audit.service';
import { derivedUuid, IdempotencyService, type IdempotentCall } from '../idempotency/idempotency.service';
import { UnitWorkflowGateway } from '../workflow-gateway/unit-workflow.gateway';
import { StepContextService, throwIfProblems, type StepContext } from './step-context';
import type { ReviewDto } from './submission.dto';
import { SubmissionRepository } from './submission.repository';
import {
  AttachmentView,
  DeliverableEntry,
  toAttachmentView,
  VersionContent,
  type SubmissionView,
} from './submission-views';
import { assertEditable, attachmentReferenceProblems, Caller, SubmissionsService } from './submissions.service';
import { itemsForWorkflow } from './rectification-item-steps';

/**
 * Submit and review, in three steps so that no transaction is open while the unit workflow is asked
 * (docs/RELIABILITY.md): (1) a transaction records the intent — the Idempotency-Key claim and, for a submit, the
 * new version with the row `submitting`; (2) the Update goes to the workflow (UnitWorkflowGateway); (3) a
 * transaction records the workflow's answer, the audit row and the response. A refusal (409 with the workflow's
 * reason) undoes the intent and the claim: nothing is recorded. Temporal unreachable or slow (503): the intent
 * stays; a retry with the same key re-sends the same update id (Temporal answers with the first outcome) and the
 * SubmissionReconciler settles it from the workflow's own state otherwise.
 */
@Injectable()
export class SubmissionReviewService {
  constructor(
    private readonly db: Db,
    private readonly rows: SubmissionRepository,
    private readonly submissions: SubmissionsService,
    private readonly steps: StepContextService,
    private readonly idempotency: IdempotencyService,
    private readonly gateway: UnitWorkflowGateway,
    private readonly audit: AuditService,
  ) {}

  async submit(id: string, caller: Caller, key: string): Promise<SubmissionView> {
    const call: IdempotentCall = {
      actor: caller.user.id,
      key,
      route: `POST /api/submissions/${id}/submit`,
      request: {},
    };
    // taken before the intent's transaction: waiting for a pool connection spends the Update's time, not extra time
    const deadlineMs = this.gateway.updateDeadline();
    // the version id is the workflow's submissionId and the update id: a retry with this key re-sends the same
    const versionId = derivedUuid('submission-version', caller.user.id, key, id);
    const intent = await this.db.transaction(async () => {
      const claim = await this.idempotency.claim<SubmissionView>(call);
      if (claim.state === 'done') return { done: claim.response };
      const row = await this.submissions.lockForWrite(id, caller.user);
      const ctx = await this.steps.resolve(row.cycle_id, row.unit_id, row.step_key);
      const current = row.current_version ? await this.rows.version(id, row.current_version) : undefined;
      if (claim.state === 'pending' && current?.id === versionId) {
        // an earlier request with this key recorded the intent: send the same update again (or it was settled)
        return {
          ctx,
          version: row.current_version,
          stepKey: row.step_key,
          settled: row.status !== 'submitting',
          before: { status: row.current_version === 1 ? 'draft' : 'returned', version: row.current_version - 1 },
        };
      }
      if (row.status !== 'draft' && row.status !== 'returned')
        assertEditable(
          row,
          `only a draft or a returned submission can be submitted (submission ${id} is already ${row.status})`,
        );
      const entries: DeliverableEntry[] = row.draft.deliverables;
      const stored = await this.rows.attachments(id);
      throwIfProblems('the draft is not complete', [
        ...this.steps.deliverableProblems(ctx.step, entries, true),
        ...attachmentReferenceProblems(stored, entries),
      ]);
      const attachments: AttachmentView[] = stored.map(toAttachmentView);
      // the version keeps the attachments' metadata (name, size, sha-256) as they were when submitted
      const content: VersionContent = {
        deliverables: entries.map((e) => ({
          ...e,
          attachments: attachments
            .filter((a) => e.attachmentIds?.includes(a.id))
            .map(({ uploadedBy: _u, uploadedAt: _a, ...meta }) => meta),
        })),
      };
      const version = row.current_version + 1;
      await this.rows.insertVersion({ id: versionId, submissionId: id, version, content, submittedBy: caller.user.id });
      await this.rows.setStatus(id, 'submitting', version);
      return {
        ctx,
        version,
        stepKey: row.step_key,
        settled: false,
        before: { status: row.status, version: row.current_version },
      };
    });
    if ('done' in intent) return intent.done as SubmissionView;

    const step = intent.settled
      ? undefined
      : await this.ask(
          intent.ctx,
          versionId,
          () =>
            this.gateway.submit(
              intent.ctx.workflowId,
              { stepKey: intent.stepKey, submissionId: versionId, actor: caller.user.email },
              deadlineMs,
            ),
          async () => {
            await this.rows.undoSubmit(id, versionId, intent.version);
          },
          call,
        );

    return this.db.transaction(async () => {
      // followStepInSubmission locks the row first; recordOnce needs it locked either way
      if (step)
        await followStepInSubmission(this.db.manager, intent.ctx.cycleId, intent.ctx.unitId, intent.stepKey, step);
      else await this.rows.lock(id);
      await this.audit.recordOnce({
        actor: caller.user,
        action: 'submission.submit',
        entity: 'submission',
        entityId: id,
        ip: caller.ip,
        before: intent.before,
        after: { status: 'submitted', version: intent.version, versionId },
      });
      const view = await this.submissions.view(id);
      await this.idempotency.complete(call, view);
      return view;
    });
  }

  async review(id: string, version: number, dto: ReviewDto, caller: Caller, key: string): Promise<SubmissionView> {
    const call: IdempotentCall = {
      actor: caller.user.id,
      key,
      route: `POST /api/submissions/${id}/versions/${version}/review`,
      request: dto,
    };
    const decision = dto.decision === 'accept' ? 'accepted' : 'returned';
    const deadlineMs = this.gateway.updateDeadline(); // as in submit: the intent's wait counts against the Update's time
    const intent = await this.db.transaction(async () => {
      const claim = await this.idempotency.claim<SubmissionView>(call);
      if (claim.state === 'done') return { done: claim.response };
      const row = await this.submissions.lockForWrite(id, caller.user);
      const v = await this.rows.version(id, version);
      if (!v) throw DomainError.notFound(`version ${version} of submission ${id}`);
      const resumed = claim.state === 'pending' && (v.decision === null || v.decision === decision);
      if (!resumed && (row.status !== 'submitted' || row.current_version !== version || v.decision)) {
        if (row.status === 'waived' || row.status === 'cancelled')
          assertEditable(row, 'its step was closed by the office; there is nothing to review');
        throw new DomainError(
          ErrorCode.Conflict,
          `version ${version} of submission ${id} is not awaiting review (submission is ${row.status}, latest version ${row.current_version})`,
        );
      }
      const ctx = await this.steps.resolve(row.cycle_id, row.unit_id, row.step_key);
      // Accepting a rectification plan hands its items to the workflow in the same update (no window in between
      // in which the unit could leave the stage with the items not yet tracked).
      const hasItems = dto.decision === 'accept' && ctx.step.deliverables.some((d) => d.kind === 'plan_with_items');
      const items = hasItems ? itemsForWorkflow(v.content, ctx.timeZone) : [];
      return { ctx, versionId: v.id, stepKey: row.step_key, items, before: { status: row.status, version } };
    });
    if ('done' in intent) return intent.done as SubmissionView;

    const { ctx, versionId, stepKey, items } = intent;
    const step = await this.ask(
      ctx,
      versionId,
      () =>
        this.gateway.review(
          ctx.workflowId,
          {
            stepKey,
            submissionId: versionId,
            decision: dto.decision,
            actor: caller.user.email,
            comment: dto.comment,
            ...(items.length ? { items } : {}),
          },
          deadlineMs,
        ),
      async () => undefined,
      call,
      decision,
    );

    return this.db.transaction(async () => {
      await followStepInSubmission(this.db.manager, ctx.cycleId, ctx.unitId, stepKey, step); // locks the row first
      await this.rows.decide(versionId, decision, caller.user.id, dto.comment ?? null);
      await this.audit.recordOnce({
        actor: caller.user,
        action: dto.decision === 'accept' ? 'submission.accept' : 'submission.return',
        entity: 'submission',
        entityId: id,
        ip: caller.ip,
        before: intent.before,
        after: { status: decision, version, versionId, comment: dto.comment ?? null },
      });
      const view = await this.submissions.view(id);
      await this.idempotency.complete(call, view);
      return view;
    });
  }

  /**
   * Step (2): the Update, outside any transaction. A refusal is checked against the workflow's state first — a
   * re-sent update whose first copy already took effect (Temporal forgets update ids across continue-as-new) is
   * success — else the intent and the claim are undone and the 409 goes to the caller. A 503 leaves the intent.
   */
  private async ask(
    ctx: StepContext,
    submissionId: string,
    send: () => Promise<StepView>,
    undo: () => Promise<unknown>,
    call: IdempotentCall,
    expected?: 'accepted' | 'returned',
  ): Promise<StepView> {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== ErrorCode.Conflict) throw error;
      const step = (await this.gateway.status(ctx.workflowId).catch(() => null))?.steps.find(
        (s) => s.key === ctx.step.key,
      );
      if (step?.lastSubmissionId === submissionId && (!expected || step.status === expected)) return step;
      await this.db.transaction(async () => {
        await undo();
        await this.idempotency.release(call);
      });
      throw error;
    }
  }
}

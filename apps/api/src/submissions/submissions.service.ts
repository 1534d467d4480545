import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DomainError, ErrorCode, ErrorReason, FieldProblem } from '../../../../libs/domain/src';
import { canonicalJson } from '../../../../libs/domain/src/template/checksum';
import { EDITABLE_STATUSES } from '../../../../libs/domain/src/submissions/follow-step';
import { Db } from '../../../../libs/persistence/src';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { StepContextService, throwIfProblems } from './step-context';
import type { CreateSubmissionDto, DraftContentDto, ListSubmissionsQuery } from './submission.dto';
import {
  SubmissionRepository,
  type AttachmentRow,
  type SubmissionRow,
  type SubmissionWithChildren,
} from './submission.repository';
import {
  DeliverableEntry,
  SubmissionView,
  toSubmissionListItem,
  toSubmissionView,
  toVersionSummary,
  VersionContent,
} from './submission-views';

/** Who is asking and from where: every write is audited with both. */
export interface Caller {
  user: AuthUser;
  ip: string | null;
}

/** Drafts and reads. Submitting and reviewing (which talk to the unit workflow) are in SubmissionReviewService. */
@Injectable()
export class SubmissionsService {
  constructor(
    private readonly db: Db,
    private readonly rows: SubmissionRepository,
    private readonly access: UnitAccessService,
    private readonly steps: StepContextService,
    private readonly idempotency: IdempotencyService,
    private readonly audit: AuditService,
  ) {}

  async create(dto: CreateSubmissionDto, caller: Caller, key: string): Promise<SubmissionView> {
    this.access.assertWrite(caller.user, dto.unitId);
    const ctx = await this.steps.resolve(dto.cycleId, dto.unitId, dto.stepKey);
    const problems = this.steps.deliverableProblems(ctx.step, dto.deliverables, false);
    // a new submission has no attachments yet: upload after creating the draft, then reference them
    dto.deliverables.forEach((e, i) =>
      e.attachmentIds?.forEach((_, j) =>
        problems.push({
          field: `deliverables[${i}].attachmentIds[${j}]`,
          problem: 'unknown attachment of this submission',
        }),
      ),
    );
    throwIfProblems('invalid draft', problems);
    return this.idempotency.run(
      { actor: caller.user.id, key, route: 'POST /api/submissions', request: dto },
      async () => {
        const draft = { deliverables: dto.deliverables.map(plainEntry) };
        const row = await this.rows.insertIfNew({
          id: randomUUID(),
          cycleId: dto.cycleId,
          unitId: dto.unitId,
          stepKey: dto.stepKey,
          draft,
          createdBy: caller.user.id,
        });
        if (!row) {
          const existing = await this.rows.idOfStep(dto.cycleId, dto.unitId, dto.stepKey);
          throw new DomainError(
            ErrorCode.Conflict,
            `the unit already has submission ${existing} for step ${dto.stepKey}; edit its draft instead`,
            [{ field: 'stepKey', problem: `already has submission ${existing}` }],
          );
        }
        // a new row has no versions and no attachments: its view needs no read
        const view = toSubmissionView(row, [], []);
        await this.audit.record({
          actor: caller.user,
          action: 'submission.create',
          entity: 'submission',
          entityId: row.id,
          ip: caller.ip,
          after: view.draft,
        });
        return view;
      },
    );
  }

  /**
   * Replaces the draft (PUT: idempotent by nature). Only while the unit holds the pen: draft or returned. With
   * `ifMatch` (the revision the client last read), a draft saved since by someone else is refused with 409
   * STALE_DRAFT naming the deliverables that differ, instead of being overwritten silently.
   */
  async updateDraft(id: string, dto: DraftContentDto, caller: Caller, ifMatch?: number): Promise<SubmissionView> {
    const draft = { deliverables: dto.deliverables.map(plainEntry) };
    // Checked against the row as read, written by one statement that holds only if the row is still editable (and,
    // with If-Match, still at that revision): no transaction is held open across the checks. Attachments are never
    // removed and a row's cycle, unit and step never change, so what was checked still holds when it is written.
    const current = await this.readEditable(id, caller.user, draft.deliverables, ifMatch);
    const ctx = await this.steps.resolve(current.cycle_id, current.unit_id, current.step_key);
    const problems = this.steps.deliverableProblems(ctx.step, dto.deliverables, false);
    problems.push(...attachmentReferenceProblems(current.attachments, dto.deliverables));
    throwIfProblems('invalid draft', problems);
    const saved = await this.rows.saveDraftAudited({
      id,
      ifRevision: ifMatch,
      editable: EDITABLE_STATUSES,
      draft,
      actor: caller.user,
      ip: caller.ip,
    });
    // nothing matched: moved on since the read (submitted, closed, saved by someone else); the re-read says which
    if (!saved) {
      await this.readEditable(id, caller.user, draft.deliverables, ifMatch);
      throw new DomainError(ErrorCode.Conflict, `submission ${id} changed while this save was written; save again`);
    }
    return toSubmissionView(saved, current.versions, current.attachments);
  }

  /** The row with its children, if the caller may write it, it is editable and (with `ifMatch`) at that revision. */
  private async readEditable(
    id: string,
    user: AuthUser,
    sent: DeliverableEntry[],
    ifMatch: number | undefined,
  ): Promise<SubmissionWithChildren> {
    const row = await this.rows.findWithChildren(id);
    if (!row) throw DomainError.notFound(`submission ${id}`);
    this.access.assertWrite(user, row.unit_id);
    assertEditable(row, 'the draft can only change while it is a draft or returned');
    if (ifMatch !== undefined && ifMatch !== row.draft_revision) throw staleDraft(row, ifMatch, sent);
    return row;
  }

  async get(id: string, user: AuthUser): Promise<SubmissionView> {
    const view = await this.view(id);
    await this.access.assertRead(user, view.unitId);
    return view;
  }

  async version(id: string, version: number, user: AuthUser) {
    const row = await this.rows.find(id);
    if (!row) throw DomainError.notFound(`submission ${id}`);
    await this.access.assertRead(user, row.unit_id);
    const v = await this.rows.version(id, version);
    if (!v) throw DomainError.notFound(`version ${version} of submission ${id}`);
    return { ...toVersionSummary(v), submissionId: id, content: v.content as VersionContent };
  }

  async list(q: ListSubmissionsQuery, user: AuthUser) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: (n: number) => string, value: unknown) => {
      params.push(value);
      where.push(sql(params.length));
    };
    if (q.cycleId) add((n) => `cycle_id = $${n}`, q.cycleId);
    if (q.unitId) add((n) => `unit_id = $${n}`, q.unitId);
    if (q.status) add((n) => `status = $${n}`, q.status);
    const scope = this.access.readableUnitsFilter(user, 'unit_id', params.length + 1);
    if (scope) {
      where.push(scope.sql);
      params.push(...scope.params);
    }
    const rows = await this.rows.list(where, params);
    return rows.map(toSubmissionListItem);
  }

  /** Locks the submission row for the open transaction after checking the caller may write for its unit. */
  async lockForWrite(id: string, user: AuthUser): Promise<SubmissionRow> {
    const row = await this.rows.lock(id);
    if (!row) throw DomainError.notFound(`submission ${id}`);
    this.access.assertWrite(user, row.unit_id);
    return row;
  }

  async view(id: string): Promise<SubmissionView> {
    const row = await this.rows.findWithChildren(id);
    if (!row) throw DomainError.notFound(`submission ${id}`);
    return toSubmissionView(row, row.versions, row.attachments);
  }
}

/** Every referenced attachment must be one of the submission's `attachments`, uploaded for the deliverable that references it. */
export function attachmentReferenceProblems(attachments: AttachmentRow[], entries: DeliverableEntry[]): FieldProblem[] {
  const owner = new Map(attachments.map((r) => [r.id, r.deliverable_key]));
  return entries.flatMap((e, i) =>
    (e.attachmentIds ?? []).flatMap((a, j) => {
      const field = `deliverables[${i}].attachmentIds[${j}]`;
      if (!owner.has(a)) return [{ field, problem: 'unknown attachment of this submission' }];
      if (owner.get(a) !== e.key)
        return [{ field, problem: `was uploaded for deliverable ${owner.get(a)}, not ${e.key}` }];
      return [];
    }),
  );
}

/** 409 unless the unit holds the pen; a step closed on the office's road says so (STEP_CLOSED). */
export function assertEditable(row: SubmissionRow, why: string): void {
  if (EDITABLE_STATUSES.includes(row.status)) return;
  const closed = row.status === 'waived' || row.status === 'cancelled';
  throw new DomainError(
    ErrorCode.Conflict,
    `submission ${row.id} is ${row.status}; ${why}`,
    [{ field: 'status', problem: `is ${row.status}` }],
    closed ? ErrorReason.StepClosed : undefined,
  );
}

/** 409 STALE_DRAFT: which revision is stored, who saved it, and which deliverables differ from what was sent. */
function staleDraft(row: SubmissionRow, ifMatch: number, sent: DeliverableEntry[]): DomainError {
  const stored = new Map(row.draft.deliverables.map((e) => [e.key, canonicalJson(e)]));
  const keys = [...new Set([...stored.keys(), ...sent.map((e) => e.key)])].sort();
  const differing = keys.filter(
    (k) => stored.get(k) !== (sent.find((e) => e.key === k) ? canonicalJson(sent.find((e) => e.key === k)) : undefined),
  );
  return new DomainError(
    ErrorCode.Conflict,
    `the draft was saved by someone else since revision ${ifMatch} (now revision ${row.draft_revision}, ${row.updated_at.toISOString()}); reload it before saving`,
    [
      {
        field: 'If-Match',
        problem: `revision ${ifMatch} is stale: the draft is at revision ${row.draft_revision}, saved by user ${row.draft_saved_by ?? 'unknown'} at ${row.updated_at.toISOString()}`,
      },
      ...differing.map((k) => ({ field: `deliverables[${k}]`, problem: 'differs from the saved draft' })),
    ],
    ErrorReason.StaleDraft,
  );
}

/** The DTO instance as plain JSON (drops undefined properties). */
export function plainEntry(e: DeliverableEntry): DeliverableEntry {
  return JSON.parse(
    JSON.stringify({ key: e.key, kind: e.kind, text: e.text, fields: e.fields, attachmentIds: e.attachmentIds }),
  ) as DeliverableEntry;
}

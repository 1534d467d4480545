import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, FieldProblem } from '../../../../libs/domain/src';
import { AuditService } from '../audit/audit.service';
import type { AuthUser } from '../auth/roles';
import { UnitAccessService } from '../auth/unit-access.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { StepContextService, throwIfProblems } from './step-context';
import type { CreateSubmissionDto, DraftContentDto, ListSubmissionsQuery } from './submission.dto';
import { DeliverableEntry, SubmissionView, toSubmissionView, toVersionSummary, VersionContent } from './submission-views';

/** Who is asking and from where: every write is audited with both. */
export interface Caller {
  user: AuthUser;
  ip: string | null;
}

/** Drafts and reads. Submitting and reviewing (which talk to the unit workflow) are in SubmissionReviewService. */
@Injectable()
export class SubmissionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
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
    dto.deliverables.forEach((e, i) => e.attachmentIds?.forEach((_, j) => problems.push({ field: `deliverables[${i}].attachmentIds[${j}]`, problem: 'unknown attachment of this submission' })));
    throwIfProblems('invalid draft', problems);
    return this.idempotency.run({ actor: caller.user.id, key, route: 'POST /api/submissions', request: dto }, async (m) => {
      const [existing] = await m.query(`SELECT id FROM submission WHERE cycle_id = $1 AND unit_id = $2 AND step_key = $3`, [dto.cycleId, dto.unitId, dto.stepKey]);
      if (existing) {
        throw new DomainError(ErrorCode.Conflict, `the unit already has submission ${existing.id} for step ${dto.stepKey}; edit its draft instead`, [
          { field: 'stepKey', problem: `already has submission ${existing.id}` },
        ]);
      }
      const id = randomUUID();
      const draft = { deliverables: dto.deliverables.map(plainEntry) };
      await m.query(`INSERT INTO submission (id, cycle_id, unit_id, step_key, status, draft, created_by) VALUES ($1, $2, $3, $4, 'draft', $5::jsonb, $6)`, [
        id,
        dto.cycleId,
        dto.unitId,
        dto.stepKey,
        JSON.stringify(draft),
        caller.user.id,
      ]);
      const view = await this.view(m, id);
      await this.audit.record({ actor: caller.user, action: 'submission.create', entity: 'submission', entityId: id, ip: caller.ip, after: view.draft }, m);
      return view;
    });
  }

  /** Replaces the draft (PUT: idempotent by nature). Only while the unit holds the pen: draft or returned. */
  async updateDraft(id: string, dto: DraftContentDto, caller: Caller): Promise<SubmissionView> {
    return this.db.transaction(async (m) => {
      const row = await this.lockForWrite(m, id, caller.user);
      if (row.status !== 'draft' && row.status !== 'returned') {
        throw new DomainError(ErrorCode.Conflict, `submission ${id} is ${row.status}; the draft can only change while it is a draft or returned`);
      }
      const ctx = await this.steps.resolve(row.cycle_id, row.unit_id, row.step_key);
      const problems = this.steps.deliverableProblems(ctx.step, dto.deliverables, false);
      problems.push(...(await this.attachmentProblems(m, id, dto.deliverables)));
      throwIfProblems('invalid draft', problems);
      const draft = { deliverables: dto.deliverables.map(plainEntry) };
      await m.query(`UPDATE submission SET draft = $2::jsonb, updated_at = now() WHERE id = $1`, [id, JSON.stringify(draft)]);
      await this.audit.record({ actor: caller.user, action: 'submission.update_draft', entity: 'submission', entityId: id, ip: caller.ip, before: row.draft, after: draft }, m);
      return this.view(m, id);
    });
  }

  async get(id: string, user: AuthUser): Promise<SubmissionView> {
    const view = await this.view(this.db.manager, id);
    await this.access.assertRead(user, view.unitId);
    return view;
  }

  async version(id: string, version: number, user: AuthUser) {
    const [row] = await this.db.query(`SELECT unit_id FROM submission WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound(`submission ${id}`);
    await this.access.assertRead(user, row.unit_id);
    const [v] = await this.db.query(`SELECT * FROM submission_version WHERE submission_id = $1 AND version = $2`, [id, version]);
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
    const rows = await this.db.query(
      `SELECT id, cycle_id, unit_id, step_key, status, current_version, updated_at FROM submission
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC LIMIT 500`,
      params,
    );
    return rows.map((r: any) => ({
      id: r.id,
      cycleId: r.cycle_id,
      unitId: r.unit_id,
      stepKey: r.step_key,
      status: r.status,
      currentVersion: r.current_version,
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  }

  /** Locks the submission row for this transaction after checking the caller may write for its unit. */
  async lockForWrite(m: EntityManager, id: string, user: AuthUser) {
    const [row] = await m.query(`SELECT * FROM submission WHERE id = $1 FOR UPDATE`, [id]);
    if (!row) throw DomainError.notFound(`submission ${id}`);
    this.access.assertWrite(user, row.unit_id);
    return row;
  }

  async view(m: EntityManager, id: string): Promise<SubmissionView> {
    const [row] = await m.query(`SELECT * FROM submission WHERE id = $1`, [id]);
    if (!row) throw DomainError.notFound(`submission ${id}`);
    const versions = await m.query(`SELECT * FROM submission_version WHERE submission_id = $1 ORDER BY version`, [id]);
    const attachments = await m.query(`SELECT * FROM submission_attachment WHERE submission_id = $1 ORDER BY uploaded_at, id`, [id]);
    return toSubmissionView(row, versions, attachments);
  }

  /** Every referenced attachment must belong to this submission and to the deliverable that references it. */
  async attachmentProblems(m: EntityManager, submissionId: string, entries: DeliverableEntry[]): Promise<FieldProblem[]> {
    const rows: { id: string; deliverable_key: string }[] = await m.query(`SELECT id, deliverable_key FROM submission_attachment WHERE submission_id = $1`, [submissionId]);
    const owner = new Map(rows.map((r) => [r.id, r.deliverable_key]));
    return entries.flatMap((e, i) =>
      (e.attachmentIds ?? []).flatMap((a, j) => {
        const field = `deliverables[${i}].attachmentIds[${j}]`;
        if (!owner.has(a)) return [{ field, problem: 'unknown attachment of this submission' }];
        if (owner.get(a) !== e.key) return [{ field, problem: `was uploaded for deliverable ${owner.get(a)}, not ${e.key}` }];
        return [];
      }),
    );
  }
}

/** The DTO instance as plain JSON (drops undefined properties). */
export function plainEntry(e: DeliverableEntry): DeliverableEntry {
  return JSON.parse(JSON.stringify({ key: e.key, kind: e.kind, text: e.text, fields: e.fields, attachmentIds: e.attachmentIds }));
}

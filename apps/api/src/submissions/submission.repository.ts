import { Injectable } from '@nestjs/common';
import type { SubmissionStatus } from '../../../../libs/domain/src/submissions/follow-step';
import { Db } from '../../../../libs/persistence/src';
import { INSERT_INTO_AUDIT_LOG } from '../audit/audit.repository';
import type { DeliverableEntry, VersionContent } from './submission-views';

export interface SubmissionRow {
  id: string;
  cycle_id: string;
  unit_id: string;
  step_key: string;
  status: SubmissionStatus;
  draft: { deliverables: DeliverableEntry[] };
  current_version: number;
  draft_revision: number;
  draft_saved_by: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface VersionRow {
  id: string;
  submission_id: string;
  version: number;
  content: VersionContent;
  submitted_by: string;
  submitted_at: Date;
  decision: 'accepted' | 'returned' | null;
  decided_by: string | null;
  decided_at: Date | null;
  review_comment: string | null;
}

export interface AttachmentRow {
  id: string;
  submission_id: string;
  deliverable_key: string;
  file_name: string;
  mime_type: string;
  size_bytes: string | number;
  sha256: string;
  storage_key: string;
  uploaded_by: string;
  uploaded_at: Date;
}

export interface SubmissionWithChildren extends SubmissionRow {
  versions: VersionRow[];
  attachments: AttachmentRow[];
}

/** The columns a submission list shows. */
export type SubmissionListRow = Pick<
  SubmissionRow,
  'id' | 'cycle_id' | 'unit_id' | 'step_key' | 'status' | 'current_version' | 'updated_at'
>;

/** Who an audit entry written with a save names (audit_log's actor columns). */
export interface AuditActor {
  id: string;
  email: string;
  roles: string[];
}

/**
 * Every SQL statement on submission, submission_version and submission_attachment of the api. Through Db, so inside
 * a transaction every statement runs on that transaction's connection (one connection per request).
 */
@Injectable()
export class SubmissionRepository {
  constructor(private readonly db: Db) {}

  async find(id: string): Promise<SubmissionRow | undefined> {
    return (await this.db.query<SubmissionRow>(`SELECT * FROM submission WHERE id = $1`, [id]))[0];
  }

  /**
   * The row with its versions (by number) and attachments (by upload) in one round trip: what a submission's view
   * shows. Timestamps inside `versions` and `attachments` arrive as ISO text (json_agg), which the views accept.
   */
  async findWithChildren(id: string): Promise<SubmissionWithChildren | undefined> {
    return (
      await this.db.query<SubmissionWithChildren>(
        `SELECT s.*,
                (SELECT coalesce(json_agg(v ORDER BY v.version), '[]') FROM submission_version v WHERE v.submission_id = s.id) AS versions,
                (SELECT coalesce(json_agg(a ORDER BY a.uploaded_at, a.id), '[]') FROM submission_attachment a WHERE a.submission_id = s.id) AS attachments
           FROM submission s WHERE s.id = $1`,
        [id],
      )
    )[0];
  }

  /** The row, locked until the transaction ends (call inside Db.transaction). */
  async lock(id: string): Promise<SubmissionRow | undefined> {
    return (await this.db.query<SubmissionRow>(`SELECT * FROM submission WHERE id = $1 FOR UPDATE`, [id]))[0];
  }

  async idOfStep(cycleId: string, unitId: string, stepKey: string): Promise<string | undefined> {
    return (
      await this.db.query<{ id: string }>(
        `SELECT id FROM submission WHERE cycle_id = $1 AND unit_id = $2 AND step_key = $3`,
        [cycleId, unitId, stepKey],
      )
    )[0]?.id;
  }

  /**
   * Inserts a new draft and returns its row; undefined when the unit already has a submission for the step (the
   * UNIQUE (cycle_id, unit_id, step_key) constraint decides, so two racing creates cannot both succeed).
   */
  async insertIfNew(row: {
    id: string;
    cycleId: string;
    unitId: string;
    stepKey: string;
    draft: unknown;
    createdBy: string;
  }): Promise<SubmissionRow | undefined> {
    const [inserted] = await this.db.query<SubmissionRow>(
      `INSERT INTO submission (id, cycle_id, unit_id, step_key, status, draft, created_by, draft_saved_by) VALUES ($1, $2, $3, $4, 'draft', $5::jsonb, $6, $6)
       ON CONFLICT (cycle_id, unit_id, step_key) DO NOTHING RETURNING *`,
      [row.id, row.cycleId, row.unitId, row.stepKey, JSON.stringify(row.draft), row.createdBy],
    );
    return inserted;
  }

  /**
   * One statement for a draft save: replaces the draft of a row that is still in one of `editable` (and, with
   * `ifRevision`, still at that revision), moves its revision on and appends the audit entry (before: the draft it
   * replaced, after: the new draft with its revision). Undefined when no row matched: the caller re-reads to say why.
   * The row is locked first (`prev`), so `before` is the draft this save replaced even when saves race.
   */
  async saveDraftAudited(save: {
    id: string;
    ifRevision: number | undefined;
    editable: readonly SubmissionStatus[];
    draft: unknown;
    actor: AuditActor;
    ip: string | null;
  }): Promise<SubmissionRow | undefined> {
    // a WITH … SELECT comes back from TypeORM as plain rows (an UPDATE … RETURNING would be [rows, count])
    const rows = await this.db.query<SubmissionRow & { before_draft: unknown }>(
      `WITH prev AS (SELECT id, draft FROM submission WHERE id = $1 FOR UPDATE),
       saved AS (
         UPDATE submission s SET draft = $4::jsonb, draft_revision = s.draft_revision + 1, draft_saved_by = $5, updated_at = now()
           FROM prev WHERE s.id = prev.id AND s.status = ANY($3::text[]) AND ($2::int IS NULL OR s.draft_revision = $2::int)
         RETURNING s.*, prev.draft AS before_draft),
       audit AS (
         ${INSERT_INTO_AUDIT_LOG}
         SELECT $5, $6, $7, 'submission.update_draft', 'submission', saved.id, $8, saved.before_draft, $4::jsonb || jsonb_build_object('revision', saved.draft_revision) FROM saved)
       SELECT * FROM saved`,
      [
        save.id,
        save.ifRevision ?? null,
        save.editable,
        JSON.stringify(save.draft),
        save.actor.id,
        save.actor.email,
        save.actor.roles,
        save.ip,
      ],
    );
    if (!rows[0]) return undefined;
    const { before_draft: _before, ...row } = rows[0];
    return row;
  }

  async setStatus(id: string, status: SubmissionStatus, currentVersion?: number): Promise<void> {
    if (currentVersion === undefined)
      await this.db.query(`UPDATE submission SET status = $2, updated_at = now() WHERE id = $1`, [id, status]);
    else
      await this.db.query(`UPDATE submission SET status = $2, current_version = $3, updated_at = now() WHERE id = $1`, [
        id,
        status,
        currentVersion,
      ]);
  }

  /** Moves the row from one of `from` to `to`; false when it was in none of them (another road moved it first). */
  async moveStatus(id: string, from: SubmissionStatus[], to: SubmissionStatus): Promise<boolean> {
    const [, count] = (await this.db.query(
      `UPDATE submission SET status = $3, updated_at = now() WHERE id = $1 AND status = ANY($2::text[])`,
      [id, from, to],
    )) as unknown as [unknown, number];
    return count > 0;
  }

  versions(id: string): Promise<VersionRow[]> {
    return this.db.query<VersionRow>(`SELECT * FROM submission_version WHERE submission_id = $1 ORDER BY version`, [
      id,
    ]);
  }

  async version(id: string, version: number): Promise<VersionRow | undefined> {
    return (
      await this.db.query<VersionRow>(`SELECT * FROM submission_version WHERE submission_id = $1 AND version = $2`, [
        id,
        version,
      ])
    )[0];
  }

  async versionById(versionId: string): Promise<VersionRow | undefined> {
    return (await this.db.query<VersionRow>(`SELECT * FROM submission_version WHERE id = $1`, [versionId]))[0];
  }

  async insertVersion(v: {
    id: string;
    submissionId: string;
    version: number;
    content: VersionContent;
    submittedBy: string;
  }): Promise<void> {
    await this.db.query(
      `INSERT INTO submission_version (id, submission_id, version, content, submitted_by) VALUES ($1, $2, $3, $4::jsonb, $5)`,
      [v.id, v.submissionId, v.version, JSON.stringify(v.content), v.submittedBy],
    );
  }

  /**
   * Undoes a submit's intent the workflow refused (or never received): the version goes, the row is back to what it
   * was (draft before the first version, returned before a later one). Nothing if the row has moved on.
   */
  async undoSubmit(id: string, versionId: string, version: number): Promise<boolean> {
    const [, count] = (await this.db.query(
      `UPDATE submission SET status = CASE WHEN $2::int = 1 THEN 'draft' ELSE 'returned' END, current_version = $2::int - 1, updated_at = now()
        WHERE id = $1 AND status = 'submitting' AND current_version = $2`,
      [id, version],
    )) as unknown as [unknown, number];
    if (count) await this.db.query(`DELETE FROM submission_version WHERE id = $1 AND decision IS NULL`, [versionId]);
    return count > 0;
  }

  /** Records the reviewer's decision; a decision the workflow's read model already wrote is completed (who, comment). */
  async decide(
    versionId: string,
    decision: 'accepted' | 'returned',
    decidedBy: string | null,
    comment: string | null,
  ): Promise<void> {
    await this.db.query(
      `UPDATE submission_version SET decision = $2, decided_by = $3, decided_at = COALESCE(decided_at, now()), review_comment = $4
        WHERE id = $1 AND (decision IS NULL OR decision = $2)`,
      [versionId, decision, decidedBy, comment],
    );
  }

  attachments(id: string): Promise<AttachmentRow[]> {
    return this.db.query<AttachmentRow>(
      `SELECT * FROM submission_attachment WHERE submission_id = $1 ORDER BY uploaded_at, id`,
      [id],
    );
  }

  async insertAttachment(a: {
    id: string;
    submissionId: string;
    deliverableKey: string;
    fileName: string;
    mimeType: string;
    sizeBytes: number;
    sha256: string;
    storageKey: string;
    uploadedBy: string;
  }): Promise<AttachmentRow> {
    const [row] = await this.db.query<AttachmentRow>(
      `INSERT INTO submission_attachment (id, submission_id, deliverable_key, file_name, mime_type, size_bytes, sha256, storage_key, uploaded_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
      [
        a.id,
        a.submissionId,
        a.deliverableKey,
        a.fileName,
        a.mimeType,
        a.sizeBytes,
        a.sha256,
        a.storageKey,
        a.uploadedBy,
      ],
    );
    return row;
  }

  async attachmentWithUnit(
    submissionId: string,
    attachmentId: string,
  ): Promise<(AttachmentRow & { unit_id: string }) | undefined> {
    return (
      await this.db.query<AttachmentRow & { unit_id: string }>(
        `SELECT a.*, s.unit_id FROM submission_attachment a JOIN submission s ON s.id = a.submission_id WHERE a.id = $1 AND a.submission_id = $2`,
        [attachmentId, submissionId],
      )
    )[0];
  }

  /** Submits left half-done (intent recorded, result not) for longer than `olderThanMs`: the reconciler's work. */
  halfDoneSubmits(
    olderThanMs: number,
    limit: number,
  ): Promise<(SubmissionRow & { version_id: string; workflow_id: string })[]> {
    return this.db.query(
      `SELECT s.*, v.id AS version_id, cu.workflow_id
         FROM submission s
         JOIN submission_version v ON v.submission_id = s.id AND v.version = s.current_version
         JOIN cycle_unit cu ON cu.cycle_id = s.cycle_id AND cu.unit_id = s.unit_id
        WHERE s.status = 'submitting' AND s.updated_at < now() - make_interval(secs => $1::float8 / 1000)
        ORDER BY s.updated_at LIMIT $2`,
      [olderThanMs, limit],
    );
  }

  list(where: string[], params: unknown[]) {
    return this.db.query<SubmissionListRow>(
      `SELECT id, cycle_id, unit_id, step_key, status, current_version, updated_at FROM submission
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY updated_at DESC LIMIT 500`,
      params,
    );
  }
}

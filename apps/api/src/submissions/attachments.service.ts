import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import type { Env } from '../../../../libs/config/src';
import { DomainError, ErrorCode } from '../../../../libs/domain/src';
import { AuditService } from '../audit/audit.service';
import { UnitAccessService } from '../auth/unit-access.service';
import type { AuthUser } from '../auth/roles';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { attachmentProblems, utf8FileName } from './attachment-checks';
import { contentKey, FILE_STORAGE, FileStorage } from './file-storage';
import { StepContextService, throwIfProblems } from './step-context';
import { AttachmentView, toAttachmentView } from './submission-views';
import { Caller, SubmissionsService } from './submissions.service';

export interface UploadedFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

@Injectable()
export class AttachmentsService {
  private readonly allowed: string[];

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(FILE_STORAGE) private readonly storage: FileStorage,
    private readonly submissions: SubmissionsService,
    private readonly steps: StepContextService,
    private readonly idempotency: IdempotencyService,
    private readonly access: UnitAccessService,
    private readonly audit: AuditService,
    config: ConfigService<Env, true>,
  ) {
    this.allowed = config
      .get('ATTACHMENT_MIME_TYPES', { infer: true })
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean);
  }

  /**
   * Stores the bytes first (content-addressed: a retry or a rolled-back upload leaves at most one unreferenced
   * file, never a row without its file), then records the attachment in the same transaction as the audit entry.
   */
  async upload(submissionId: string, deliverableKey: string, file: UploadedFile | undefined, caller: Caller, key: string): Promise<AttachmentView> {
    if (!file) throw DomainError.validation('file: is required (multipart field "file")', [{ field: 'file', problem: 'is required (multipart field "file")' }]);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const request = { deliverableKey, sha256, name: file.originalname, type: file.mimetype };
    return this.idempotency.run({ actor: caller.user.id, key, route: `POST /api/submissions/${submissionId}/attachments`, request }, async (m) => {
      const row = await this.submissions.lockForWrite(m, submissionId, caller.user);
      if (row.status !== 'draft' && row.status !== 'returned') throw new DomainError(ErrorCode.Conflict, `submission ${submissionId} is ${row.status}; attachments can only be added to a draft or a returned submission`);
      const ctx = await this.steps.resolve(row.cycle_id, row.unit_id, row.step_key);
      const problems = attachmentProblems(file, this.allowed);
      if (!ctx.step.deliverables.some((d) => d.key === deliverableKey)) problems.push({ field: 'deliverableKey', problem: `is not a deliverable of step ${ctx.step.key}` });
      throwIfProblems('invalid attachment', problems);
      const storageKey = contentKey(sha256);
      await this.storage.put(storageKey, file.buffer);
      const id = randomUUID();
      const mime = file.mimetype.split(';')[0].trim().toLowerCase();
      await m.query(
        `INSERT INTO submission_attachment (id, submission_id, deliverable_key, file_name, mime_type, size_bytes, sha256, storage_key, uploaded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [id, submissionId, deliverableKey, utf8FileName(file.originalname), mime, file.size, sha256, storageKey, caller.user.id],
      );
      const [stored] = await m.query(`SELECT * FROM submission_attachment WHERE id = $1`, [id]);
      const view = toAttachmentView(stored);
      await this.audit.record({ actor: caller.user, action: 'submission.attach', entity: 'submission', entityId: submissionId, ip: caller.ip, after: view }, m);
      return view;
    });
  }

  async open(submissionId: string, attachmentId: string, user: AuthUser): Promise<{ meta: AttachmentView; stream: Readable }> {
    const [row] = await this.db.query(
      `SELECT a.*, s.unit_id FROM submission_attachment a JOIN submission s ON s.id = a.submission_id WHERE a.id = $1 AND a.submission_id = $2`,
      [attachmentId, submissionId],
    );
    if (!row) throw DomainError.notFound(`attachment ${attachmentId} of submission ${submissionId}`);
    await this.access.assertRead(user, row.unit_id);
    return { meta: toAttachmentView(row), stream: await this.storage.open(row.storage_key) };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createHash, randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Env } from '../../../../libs/config/src';
import { DomainError } from '../../../../libs/domain/src';
import { AuditService } from '../audit/audit.service';
import { UnitAccessService } from '../auth/unit-access.service';
import type { AuthUser } from '../auth/roles';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { attachmentProblems, utf8FileName } from './attachment-checks';
import { contentKey, FILE_STORAGE, FileStorage } from './file-storage';
import { StepContextService, throwIfProblems } from './step-context';
import { AttachmentView, toAttachmentView } from './submission-views';
import { SubmissionRepository } from './submission.repository';
import { assertEditable, Caller, SubmissionsService } from './submissions.service';

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
    private readonly rows: SubmissionRepository,
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
   * Stores the bytes first, outside any transaction (content-addressed: a retry or a refused upload leaves at most
   * one unreferenced file, never a row without its file), then records the attachment in one short transaction
   * with the Idempotency-Key claim and the audit entry.
   */
  async upload(
    submissionId: string,
    deliverableKey: string,
    file: UploadedFile | undefined,
    caller: Caller,
    key: string,
  ): Promise<AttachmentView> {
    if (!file)
      throw DomainError.validation('file: is required (multipart field "file")', [
        { field: 'file', problem: 'is required (multipart field "file")' },
      ]);
    throwIfProblems('invalid attachment', attachmentProblems(file, this.allowed));
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const request = { deliverableKey, sha256, name: file.originalname, type: file.mimetype };
    const storageKey = contentKey(sha256);
    await this.storage.put(storageKey, file.buffer);
    return this.idempotency.run(
      { actor: caller.user.id, key, route: `POST /api/submissions/${submissionId}/attachments`, request },
      async () => {
        const row = await this.submissions.lockForWrite(submissionId, caller.user);
        assertEditable(row, 'attachments can only be added to a draft or a returned submission');
        const ctx = await this.steps.resolve(row.cycle_id, row.unit_id, row.step_key);
        if (!ctx.step.deliverables.some((d) => d.key === deliverableKey))
          throwIfProblems('invalid attachment', [
            { field: 'deliverableKey', problem: `is not a deliverable of step ${ctx.step.key}` },
          ]);
        const stored = await this.rows.insertAttachment({
          id: randomUUID(),
          submissionId,
          deliverableKey,
          fileName: utf8FileName(file.originalname),
          mimeType: file.mimetype.split(';')[0].trim().toLowerCase(),
          sizeBytes: file.size,
          sha256,
          storageKey,
          uploadedBy: caller.user.id,
        });
        const view = toAttachmentView(stored);
        await this.audit.record({
          actor: caller.user,
          action: 'submission.attach',
          entity: 'submission',
          entityId: submissionId,
          ip: caller.ip,
          after: view,
        });
        return view;
      },
    );
  }

  async open(
    submissionId: string,
    attachmentId: string,
    user: AuthUser,
  ): Promise<{ meta: AttachmentView; stream: Readable }> {
    const row = await this.rows.attachmentWithUnit(submissionId, attachmentId);
    if (!row) throw DomainError.notFound(`attachment ${attachmentId} of submission ${submissionId}`);
    await this.access.assertRead(user, row.unit_id);
    return { meta: toAttachmentView(row), stream: await this.storage.open(row.storage_key) };
  }
}

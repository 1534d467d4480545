import type { DeliverableKind } from '../../../../libs/domain/src';
import type { SubmissionStatus } from '../../../../libs/domain/src/submissions/follow-step';
import type { AttachmentRow, SubmissionListRow, SubmissionRow, VersionRow } from './submission.repository';

export type { SubmissionStatus };

export interface AttachmentView {
  id: string;
  deliverableKey: string;
  fileName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

export interface DeliverableEntry {
  key: string;
  kind: DeliverableKind;
  text?: string;
  fields?: Record<string, unknown>;
  attachmentIds?: string[];
}

/** A frozen version: the entries as submitted, with the attachments' metadata copied in. */
export interface VersionContent {
  deliverables: (DeliverableEntry & { attachments: Omit<AttachmentView, 'uploadedBy' | 'uploadedAt'>[] })[];
}

export interface VersionSummary {
  id: string;
  version: number;
  submittedBy: string;
  submittedAt: string;
  decision: 'accepted' | 'returned' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reviewComment: string | null;
}

export interface SubmissionView {
  id: string;
  cycleId: string;
  unitId: string;
  stepKey: string;
  status: SubmissionStatus;
  currentVersion: number;
  draft: { deliverables: DeliverableEntry[] };
  /** Moves on with every save; send it back as If-Match (`"<revision>"`) so a stale save is refused, not lost. */
  draftRevision: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  versions: VersionSummary[];
  attachments: AttachmentView[];
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export const toAttachmentView = (r: AttachmentRow): AttachmentView => ({
  id: r.id,
  deliverableKey: r.deliverable_key,
  fileName: r.file_name,
  mimeType: r.mime_type,
  sizeBytes: Number(r.size_bytes),
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  uploadedAt: iso(r.uploaded_at)!,
});

export const toVersionSummary = (r: VersionRow): VersionSummary => ({
  id: r.id,
  version: r.version,
  submittedBy: r.submitted_by,
  submittedAt: iso(r.submitted_at)!,
  decision: r.decision,
  decidedBy: r.decided_by,
  decidedAt: iso(r.decided_at),
  reviewComment: r.review_comment,
});

/** One line of a submission list; the full view (toSubmissionView) starts with the same fields. */
export const toSubmissionListItem = (r: SubmissionListRow) => ({
  id: r.id,
  cycleId: r.cycle_id,
  unitId: r.unit_id,
  stepKey: r.step_key,
  status: r.status,
  currentVersion: r.current_version,
  updatedAt: iso(r.updated_at)!,
});

export const toSubmissionView = (
  r: SubmissionRow,
  versions: VersionRow[],
  attachments: AttachmentRow[],
): SubmissionView => ({
  ...toSubmissionListItem(r),
  draft: r.draft,
  draftRevision: r.draft_revision,
  createdBy: r.created_by,
  createdAt: iso(r.created_at)!,
  versions: versions.map(toVersionSummary),
  attachments: attachments.map(toAttachmentView),
});

import { SUBMISSION_STATUSES } from '../../../../libs/domain/src/submissions/follow-step';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DeliverableEntryDto } from './submission.dto';

/** OpenAPI shapes of the responses (the services return plain objects of these shapes; see submission-views.ts). */
export class AttachmentViewDto {
  @ApiProperty() id: string;
  @ApiProperty() deliverableKey: string;
  @ApiProperty({ example: '调研报告.pdf' }) fileName: string;
  @ApiProperty({ example: 'application/pdf' }) mimeType: string;
  @ApiProperty() sizeBytes: number;
  @ApiProperty({ description: 'hex sha-256 of the bytes' }) sha256: string;
  @ApiProperty() uploadedBy: string;
  @ApiProperty() uploadedAt: string;
}

export class VersionSummaryDto {
  @ApiProperty({ description: "The submissionId the unit's workflow records" }) id: string;
  @ApiProperty() version: number;
  @ApiProperty() submittedBy: string;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ enum: ['accepted', 'returned'], nullable: true }) decision: 'accepted' | 'returned' | null;
  @ApiProperty({ nullable: true, type: String }) decidedBy: string | null;
  @ApiProperty({ nullable: true, type: String }) decidedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) reviewComment: string | null;
}

export class DraftDto {
  @ApiProperty({ type: [DeliverableEntryDto] }) deliverables: DeliverableEntryDto[];
}

/** Which submission, and where it stands: the first fields of both the full view and a list item. */
class SubmissionKeyDto {
  @ApiProperty() id: string;
  @ApiProperty() cycleId: string;
  @ApiProperty() unitId: string;
  @ApiProperty() stepKey: string;
  @ApiProperty({
    enum: SUBMISSION_STATUSES,
    description:
      "submitting: handed to the unit's workflow, answer pending (settled within seconds, or by the reconciler). waived / cancelled: the office closed the step; the row follows the workflow.",
  })
  status: string;
}

export class SubmissionViewDto extends SubmissionKeyDto {
  @ApiProperty({ description: 'Number of the latest submitted version (0: never submitted)' }) currentVersion: number;
  @ApiProperty({ type: DraftDto }) draft: DraftDto;
  @ApiProperty({
    description:
      'Revision of the draft, +1 per save; also the ETag. Send it as If-Match when saving to be told (409 STALE_DRAFT) if another tab or person saved since.',
  })
  draftRevision: number;
  @ApiPropertyOptional({ nullable: true, type: String }) createdBy: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ type: [VersionSummaryDto] }) versions: VersionSummaryDto[];
  @ApiProperty({ type: [AttachmentViewDto] }) attachments: AttachmentViewDto[];
}

export class SubmissionListItemDto extends SubmissionKeyDto {
  @ApiProperty() currentVersion: number;
  @ApiProperty() updatedAt: string;
}

export class VersionDto extends VersionSummaryDto {
  @ApiProperty() submissionId: string;
  @ApiProperty({
    description: 'The deliverables as submitted, with the attachments’ metadata copied in',
    type: 'object',
    additionalProperties: true,
  })
  content: unknown;
}

export class StepCountsDto {
  @ApiProperty() stepKey: string;
  @ApiProperty() draft: number;
  @ApiProperty() submitted: number;
  @ApiProperty() returned: number;
  @ApiProperty() accepted: number;
}

export class RectificationItemDto {
  @ApiProperty() submissionId: string;
  @ApiProperty() unitId: string;
  @ApiProperty() stepKey: string;
  @ApiProperty() version: number;
  @ApiProperty() deliverableKey: string;
  @ApiProperty({ description: '1-based position in the plan' }) itemNo: number;
  @ApiProperty() goal: string;
  @ApiProperty() project: string;
  @ApiProperty({ example: '2026-06-30' }) deadline: string;
  @ApiProperty() measures: string;
  @ApiProperty() responsible: string;
  @ApiProperty({
    example: 'rectification-plan#item-1',
    description: 'The item’s step in the unit workflow (submit completion evidence to it)',
  })
  itemStepKey: string;
  @ApiProperty({ nullable: true, description: 'The item step’s status in the read model (null until recorded)' })
  itemStatus: string | null;
  @ApiProperty({ nullable: true, description: 'The item’s due instant (end of its deadline day; moved by extensions)' })
  itemDueAt: string | null;
}

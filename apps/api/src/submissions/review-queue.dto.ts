import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { DELIVERABLE_KINDS } from '../../../../libs/domain/src/deliverables/deliverable-kinds';

export class ReviewQueueQuery {
  @ApiPropertyOptional({ description: 'Only this cycle' }) @IsOptional() @IsUUID() cycleId?: string;

  @ApiPropertyOptional({
    default: 200,
    minimum: 1,
    maximum: 500,
    description: 'How many of the oldest waiting versions',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class QueueAttachmentDto {
  @ApiProperty() id: string;
  @ApiProperty() fileName: string;
  @ApiProperty({ example: 'application/pdf' }) mimeType: string;
  @ApiProperty() sizeBytes: number;
}

export class QueueDeliverableDto {
  @ApiProperty() key: string;
  @ApiProperty({ enum: DELIVERABLE_KINDS }) kind: string;
  @ApiProperty({ description: "The deliverable's title in the plan (its key when the plan does not name it)" })
  title: string;
  @ApiPropertyOptional({ description: 'Markdown text as submitted' }) text?: string;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'Structured fields by kind (see DeliverableEntryDto.fields)',
  })
  fields?: Record<string, unknown>;
  @ApiProperty({ type: [QueueAttachmentDto] }) attachments: QueueAttachmentDto[];
}

export class ReviewQueueItemDto {
  @ApiProperty() submissionId: string;
  @ApiProperty() version: number;
  @ApiProperty({ description: "The version's id (the submissionId the workflow records)" }) versionId: string;
  @ApiProperty() submittedAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'E-mail of the account that submitted' }) submittedBy:
    string | null;
  @ApiProperty() cycleId: string;
  @ApiProperty() cycleName: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty() stepKey: string;
  @ApiProperty() stepTitle: string;
  @ApiProperty({ nullable: true, type: String }) dueAt: string | null;
  @ApiProperty({ description: 'Earlier versions of this submission that were returned' }) returnedBefore: number;
  @ApiProperty({ type: [QueueDeliverableDto] }) deliverables: QueueDeliverableDto[];
}

export class ReviewQueueDto {
  @ApiProperty({ description: 'All versions awaiting review (the list holds at most `limit`, oldest first)' })
  total: number;
  @ApiProperty({ type: [ReviewQueueItemDto] }) items: ReviewQueueItemDto[];
}

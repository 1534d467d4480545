import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import {
  DELIVERABLE_FIELDS_DOC,
  DELIVERABLE_KINDS,
  DELIVERABLE_TEXT_DOC,
  type DeliverableKind,
} from '../../../../libs/domain/src/deliverables/deliverable-kinds';
import { SUBMISSION_STATUSES } from '../../../../libs/domain/src/submissions/follow-step';

export { DELIVERABLE_KINDS };

export class DeliverableEntryDto {
  @ApiProperty({ example: 'research-report', description: "The deliverable's key in the step's plan" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  key: string;

  @ApiProperty({ enum: DELIVERABLE_KINDS, description: 'Must equal the kind the plan gives this deliverable' })
  @IsIn(DELIVERABLE_KINDS, { message: `must be one of: ${DELIVERABLE_KINDS.join(', ')}` })
  kind: DeliverableKind;

  @ApiPropertyOptional({ description: DELIVERABLE_TEXT_DOC })
  @IsOptional()
  @IsString()
  @MaxLength(200_000)
  text?: string;

  @ApiPropertyOptional({
    description: DELIVERABLE_FIELDS_DOC,
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  fields?: Record<string, unknown>;

  @ApiPropertyOptional({ type: [String], description: 'Attachments uploaded to this submission for this deliverable' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsUUID('all', { each: true })
  attachmentIds?: string[];
}

export class DraftContentDto {
  @ApiProperty({ type: [DeliverableEntryDto] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => DeliverableEntryDto)
  deliverables: DeliverableEntryDto[];
}

export class CreateSubmissionDto extends DraftContentDto {
  @ApiProperty() @IsUUID() cycleId: string;
  @ApiProperty() @IsUUID() unitId: string;

  @ApiProperty({ example: 'study-research' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  stepKey: string;
}

export class ReviewDto {
  @ApiProperty({ enum: ['accept', 'return'] })
  @IsIn(['accept', 'return'], { message: 'must be accept or return' })
  decision: 'accept' | 'return';

  @ApiPropertyOptional({ description: 'Required when returning: what the unit must change' })
  @ValidateIf((o: ReviewDto) => o.decision === 'return' || o.comment !== undefined)
  @IsString({ message: 'is required when returning, as text' })
  @MinLength(1, { message: 'must not be empty when returning' })
  @MaxLength(10_000)
  comment?: string;
}

export class ListSubmissionsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() cycleId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() unitId?: string;
  @ApiPropertyOptional({ enum: SUBMISSION_STATUSES })
  @IsOptional()
  @IsIn(SUBMISSION_STATUSES)
  status?: string;
}

export class CycleQuery {
  @ApiProperty() @IsUUID() cycleId: string;
}

export class UploadAttachmentDto {
  @ApiProperty({ description: 'The deliverable this file belongs to' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  deliverableKey: string;
}

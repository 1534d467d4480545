import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DELIVERABLE_KINDS } from '../../../../libs/domain/src/deliverables/deliverable-kinds';
import { DeliverableEntryDto } from '../submissions/submission.dto';
import { STEP_STATUSES } from '../../../../libs/domain/src/campaign';
import { BUCKET_ORDER } from './task-buckets';

export class TasksQuery {
  @ApiPropertyOptional({
    enum: ['active', 'all'],
    default: 'active',
    description: 'active: steps not yet accepted, waived or cancelled; all: also those (history)',
  })
  @IsOptional()
  @IsIn(['active', 'all'], { message: 'must be active or all' })
  scope?: 'active' | 'all';

  @ApiPropertyOptional({ description: 'Only this unit (must be readable by the caller)' })
  @IsOptional()
  @IsUUID('all', { message: 'must be a UUID' })
  unitId?: string;
}

export class PortalUnitDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ description: "The caller's own unit (writable); the others are the secretary's subtree (read only)" })
  own: boolean;
}

export class TaskDto {
  @ApiProperty() cycleId: string;
  @ApiProperty({ example: '2009年学习实践活动（第一批）' }) cycleName: string;
  @ApiProperty({ example: '深入学习实践科学发展观活动' }) campaignName: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ example: 'study-research' }) stepKey: string;
  @ApiProperty() stageKey: string;
  @ApiProperty({ example: '学习调研' }) stageTitle: string;
  @ApiProperty({ example: '开展学习调研' }) title: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ enum: [...STEP_STATUSES] }) status: string;
  @ApiProperty({ enum: BUCKET_ORDER }) bucket: string;
  @ApiProperty() opensAt: string;
  @ApiProperty() dueAt: string;
  @ApiProperty({ description: 'Calendar days until due in the campaign’s zone (0: due today or past)' })
  daysLeft: number;
  @ApiProperty({ description: 'Whole days begun since due (0: not overdue)' }) daysOverdue: number;
  @ApiProperty({ description: 'Highest escalation rung reached + 1 (0: none)' }) escalationLevel: number;
  @ApiProperty({ nullable: true, type: String }) submissionId: string | null;
  @ApiProperty({ nullable: true, type: String, enum: ['draft', 'submitted', 'returned', 'accepted'] })
  submissionStatus: string | null;
  @ApiProperty({ description: 'Latest submitted version (0: none)' }) currentVersion: number;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The reviewer’s comment on the latest return, while the step is returned',
  })
  reviewComment: string | null;
  @ApiProperty({ nullable: true, type: String }) returnedAt: string | null;
}

export class TaskListDto {
  @ApiProperty({ description: 'The instant the buckets and day counts were computed at' }) now: string;
  @ApiProperty({
    type: [PortalUnitDto],
    description: 'Units the caller works for (unit roles); empty for office roles, who read every unit',
  })
  units: PortalUnitDto[];
  @ApiProperty({ type: [TaskDto], description: 'Ordered by bucket (overdue first), then due instant' })
  tasks: TaskDto[];
}

export class TaskDeliverableDto {
  @ApiProperty() key: string;
  @ApiProperty({ enum: DELIVERABLE_KINDS }) kind: DeliverableEntryDto['kind'];
  @ApiProperty() title: string;
  @ApiProperty() required: boolean;
  @ApiPropertyOptional() minHours?: number;
  @ApiPropertyOptional() publish?: boolean;
}

export class AttachmentRulesDto {
  @ApiProperty({ description: 'ATTACHMENT_MAX_BYTES' }) maxBytes: number;
  @ApiProperty({ type: [String], description: 'ATTACHMENT_MIME_TYPES' }) mimeTypes: string[];
}

export class TaskDetailDto extends TaskDto {
  @ApiProperty({ type: [TaskDeliverableDto] }) deliverables: TaskDeliverableDto[];
  @ApiProperty({ description: 'The office must accept a submission (false: the first submission completes the step)' })
  reviewRequired: boolean;
  @ApiProperty({ description: 'The caller may edit and submit for this unit' }) canWrite: boolean;
  @ApiProperty({ type: AttachmentRulesDto, description: 'What an upload may be, so the page can check before sending' })
  attachmentRules: AttachmentRulesDto;
}

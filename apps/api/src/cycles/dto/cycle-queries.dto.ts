import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { CYCLE_STATES, type CycleState } from '../../../../../libs/domain/src/campaign';
import { ISO_DATE_TIME } from './start-cycle.dto';

export class ListCyclesQuery {
  @ApiPropertyOptional({ enum: [...CYCLE_STATES] })
  @IsOptional()
  @IsIn([...CYCLE_STATES])
  status?: string;
}

export class ProgressQuery {
  @ApiPropertyOptional({
    description: 'Evaluate "overdue" at this instant instead of now (ISO date-time with offset).',
  })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE_TIME, { message: 'must be an ISO date-time with offset' })
  asOf?: string;
}

/** One cycle in the office's list (GET /api/cycles), with its units counted by status and its overdue steps now. */
export class CycleSummaryDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: '2026 学习实践活动' }) name: string;
  @ApiProperty({ example: 'study-practice-2009' }) templateKey: string;
  @ApiProperty({ example: 1 }) templateVersion: number;
  @ApiProperty({ type: String, format: 'date-time' }) startsAt: string;
  @ApiProperty({
    example: 'Asia/Shanghai',
    description: 'The template’s time zone: every date of the cycle is shown in it.',
  })
  timeZone: string;
  @ApiProperty({ enum: [...CYCLE_STATES] }) status: CycleState;
  @ApiProperty() unitCount: number;
  @ApiProperty({
    description: 'Units by status (pending, running, paused, completed, cancelled); absent statuses are 0.',
    type: 'object',
    additionalProperties: { type: 'integer' },
  })
  unitsByStatus: Record<string, number>;
  @ApiProperty({ description: 'Open or returned steps past their due date, now.' }) overdueSteps: number;
  @ApiProperty() workflowId: string;
  @ApiProperty() createdBy: string;
  @ApiProperty({ type: String, format: 'date-time' }) createdAt: string;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

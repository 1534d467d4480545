import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { ISO_DATE_TIME } from './start-cycle.dto';

export class ExtendDto {
  @ApiProperty({ example: 'analysis-report' }) @IsString() @MinLength(1) stepKey: string;
  @ApiProperty({ example: '2026-06-30T23:59:59+08:00', description: 'ISO date-time with offset.' })
  @IsString()
  @Matches(ISO_DATE_TIME, { message: 'must be an ISO date-time with offset, e.g. 2026-06-30T23:59:59+08:00' })
  newDueAt: string;
  @ApiProperty({ example: '暑期集中培训，顺延两周' }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class WaiveDto {
  @ApiProperty({ example: 'rectification-plan' }) @IsString() @MinLength(1) stepKey: string;
  @ApiProperty({ example: '该支部已撤并' }) @IsString() @MinLength(1) @MaxLength(2000) reason: string;
}

export class ControlDto {
  @ApiPropertyOptional({ example: '上级通知暂停' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
}

export class SubmitDto {
  @ApiPropertyOptional({ description: 'Id of the stored submission; generated when absent.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  submissionId?: string;
}

export class ReviewDto {
  @ApiProperty({ enum: ['accept', 'return'] }) @IsIn(['accept', 'return']) decision: 'accept' | 'return';
  @ApiPropertyOptional({ example: '整改项目缺少完成时限' }) @IsOptional() @IsString() @MaxLength(4000) comment?: string;
  @ApiPropertyOptional({ description: 'The submission reviewed; the step’s latest when absent.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  submissionId?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { ASSESSMENTS, type Assessment } from '../../../../libs/domain/src/commitments/fulfilment';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_PROBLEM = 'must be a date YYYY-MM-DD';

export { ASSESSMENTS, type Assessment };

export class CommitmentGoalDto {
  @ApiProperty({ example: '作业时间达标', description: 'What the staged goal is' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({
    example: '小学一、二年级不留书面回家作业；三至六年级每天书面作业不超过1小时，每月抽查两次并公示结果',
    description: 'How it is checked: concrete, operable, checkable (实在、可操作、可检查)',
  })
  @IsString()
  @MinLength(2)
  @MaxLength(2000)
  measure: string;

  @ApiProperty({ example: '2027-06-30', description: 'Date the goal is to be reached (in the cycle’s time zone)' })
  @Matches(DATE, { message: DATE_PROBLEM })
  @IsISO8601({ strict: true }, { message: 'is not a valid date' })
  targetDate: string;
}

export class CreateCommitmentDto {
  @ApiProperty() @IsUUID('all', { message: 'must be a UUID' }) cycleId: string;
  @ApiProperty() @IsUUID('all', { message: 'must be a UUID' }) unitId: string;

  @ApiProperty({ example: '“增效减负”我承诺' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ example: '围绕中小学“增效减负”行动，党员教师带头“增效”、率先“减负”……' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  content: string;

  @ApiProperty({ type: [CommitmentGoalDto], description: 'Staged goals (阶段性目标), 1–20, in the order given' })
  @IsArray()
  @ArrayMinSize(1, { message: 'needs at least one staged goal' })
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => CommitmentGoalDto)
  goals: CommitmentGoalDto[];
}

export class GoalAssessmentDto {
  @ApiProperty() @IsUUID('all', { message: 'must be a UUID' }) goalId: string;

  @ApiProperty({ enum: ASSESSMENTS, description: 'fulfilled 已践诺 · partly 部分践诺 · not_yet 尚未践诺' })
  @IsIn(ASSESSMENTS, { message: `must be one of: ${ASSESSMENTS.join(', ')}` })
  assessment: Assessment;

  @ApiPropertyOptional({ example: '抽查三次均达标' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class CreateLeaderReviewDto {
  @ApiProperty({ example: '2027-H1', description: 'The half-year reviewed: YYYY-H1 (Jan–Jun) or YYYY-H2 (Jul–Dec)' })
  @Matches(/^\d{4}-H[12]$/, { message: 'must be YYYY-H1 or YYYY-H2' })
  period: string;

  @ApiProperty({ example: '张书记（教育党工委）', description: 'The leader who gives the review (点评领导)' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  reviewer: string;

  @ApiProperty({ example: '2027-07-05' })
  @Matches(DATE, { message: DATE_PROBLEM })
  @IsISO8601({ strict: true }, { message: 'is not a valid date' })
  reviewedOn: string;

  @ApiProperty({ description: '肯定成绩 — what was achieved' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  strengths: string;
  @ApiProperty({ description: '找出不足 — what falls short' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  shortcomings: string;
  @ApiProperty({ description: '提出努力方向 — where to go next' })
  @IsString()
  @MinLength(1)
  @MaxLength(4000)
  direction: string;

  @ApiProperty({
    type: [GoalAssessmentDto],
    description: 'One assessment per goal of the commitment (践诺 check), each goal exactly once',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => GoalAssessmentDto)
  goals: GoalAssessmentDto[];
}

export class ListCommitmentsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'must be a UUID' }) cycleId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'must be a UUID' }) unitId?: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { QUESTION_TYPES, type QuestionInput } from '../../../../libs/domain/src/evaluations/evaluation-form';

export const EVALUATION_KINDS = ['mass_evaluation', 'three_evaluations', 'satisfaction', 'leadership_rating'] as const;

export class ChoiceOptionDto {
  @ApiProperty({ example: 'satisfied' }) @IsString() @MinLength(1) @MaxLength(50) value: string;
  @ApiProperty({ example: '满意' }) @IsString() @MinLength(1) @MaxLength(200) label: string;
  @ApiPropertyOptional({ description: 'Counts towards the satisfaction rate' })
  @IsOptional()
  @IsBoolean()
  satisfied?: boolean;
}

export class QuestionDto implements QuestionInput {
  @ApiProperty({ example: 'overall' })
  @Matches(/^[a-z][a-z0-9_-]{0,49}$/, { message: 'must be a lowercase identifier (a-z, 0-9, _ or -)' })
  key: string;

  @ApiProperty({ example: '您对本单位党组织的总体满意程度' }) @IsString() @MinLength(1) @MaxLength(500) text: string;

  @ApiProperty({ enum: QUESTION_TYPES })
  @IsIn(QUESTION_TYPES, { message: `must be one of: ${QUESTION_TYPES.join(', ')}` })
  type: (typeof QUESTION_TYPES)[number];

  @ApiPropertyOptional({ description: 'scale: lowest value (default 1)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  min?: number;
  @ApiPropertyOptional({ description: 'scale: highest value (default 5)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  max?: number;
  @ApiPropertyOptional({ description: 'scale: answers at or above count as satisfied' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  satisfiedAtLeast?: number;

  @ApiPropertyOptional({ type: [ChoiceOptionDto], description: 'choice: the options' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => ChoiceOptionDto)
  options?: ChoiceOptionDto[];

  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() required?: boolean;
}

export class CreateEvaluationDto {
  @ApiProperty({ example: '2026年度群众满意度测评' }) @IsString() @MinLength(1) @MaxLength(200) title: string;

  @ApiProperty({ enum: EVALUATION_KINDS })
  @IsIn(EVALUATION_KINDS, { message: `must be one of: ${EVALUATION_KINDS.join(', ')}` })
  kind: (typeof EVALUATION_KINDS)[number];

  @ApiPropertyOptional() @IsOptional() @IsUUID() cycleId?: string;

  @ApiProperty({ example: '2026-12-01T00:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  opensAt: string;
  @ApiProperty({ example: '2026-12-15T00:00:00+08:00' })
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  closesAt: string;

  @ApiProperty({ type: [QuestionDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => QuestionDto)
  questions: QuestionDto[];
}

export class IssueTokensDto {
  @ApiProperty() @IsUUID() unitId: string;

  @ApiPropertyOptional({
    description: 'How many anonymous tokens (when no recipients are given)',
    minimum: 1,
    maximum: 5000,
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(5000)
  count?: number;

  @ApiPropertyOptional({
    type: [String],
    description: 'One token per recipient (e.g. an e-mail address) so non-respondents can be reminded',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @IsString({ each: true })
  @MaxLength(254, { each: true })
  recipients?: string[];
}

export class RespondDto {
  @ApiProperty({ description: 'The one-time token the respondent received' })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { overall: 5, satisfaction: 'satisfied', comment: '很好' },
  })
  @IsObject()
  answers: Record<string, unknown>;
}

export class RemindDto {
  @ApiPropertyOptional({ description: 'Only this unit (default: every unit of the evaluation)' })
  @IsOptional()
  @IsUUID()
  unitId?: string;
}

export class ResultsQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() unitId?: string;
}

export class TokenQueryDto {
  @ApiProperty({
    description: 'The one-time token of the link (sent in a body, never in a URL, so it stays out of logs)',
  })
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  token: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { unitKindKeys } from '../../../../../libs/domain/src';

/** An ISO date (`2026-03-01`, 00:00 in the template's zone) or date-time (`2026-03-01T09:00:00+08:00`). */
export const ISO_DATE_OR_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** Which units take part: the union of ids, codes and a subtree (or all), narrowed to some kinds if given. */
export class UnitSelectionDto {
  @ApiPropertyOptional({ type: [String], format: 'uuid' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200_000)
  @IsUUID('all', { each: true, message: 'each id must be a UUID' })
  ids?: string[];

  @ApiPropertyOptional({ type: [String], example: ['xh-s01', 'xh-s02'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200_000)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  codes?: string[];

  @ApiPropertyOptional({ example: 'xh-gb1', description: 'Code of a unit: it and every unit below it.' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  subtreeOf?: string;

  @ApiPropertyOptional({ description: 'Every unit (still narrowed by kinds).' })
  @IsOptional()
  @IsBoolean()
  all?: boolean;

  @ApiPropertyOptional({ enum: unitKindKeys, isArray: true, description: 'Keep only units of these kinds.' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(unitKindKeys.length)
  @IsIn(unitKindKeys, { each: true, message: `each kind must be one of ${unitKindKeys.join(', ')}` })
  kinds?: string[];
}

export class StartCycleDto {
  @ApiProperty({ example: 'study-practice-2009' }) @IsString() @MinLength(1) templateKey: string;

  @ApiPropertyOptional({ example: 1, description: 'Template version to pin; the latest when absent.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  templateVersion?: number;

  @ApiProperty({ example: '2026 学习实践活动' }) @IsString() @MinLength(1) @MaxLength(200) name: string;

  @ApiProperty({ example: '2026-03-01', description: 'ISO date (00:00 in the template’s time zone) or date-time.' })
  @IsString()
  @Matches(ISO_DATE_OR_DATE_TIME, {
    message: 'must be an ISO date (2026-03-01) or date-time (2026-03-01T09:00:00+08:00)',
  })
  startsAt: string;

  @ApiProperty({ type: UnitSelectionDto })
  @IsObject()
  @ValidateNested()
  @Type(() => UnitSelectionDto)
  units: UnitSelectionDto;
}

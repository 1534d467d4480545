import { ApiExtraModels, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { unitKindKeys } from '../../../../../libs/domain/src';
import { ISO_DATE_TIME } from './start-cycle.dto';

/**
 * What a matrix cell shows, one character each so 10,000 units × 40 steps travel as 400 kB of cell text.
 * Time-dependent codes (due soon, overdue, escalated) are evaluated at `asOf` for steps that wait for the unit.
 */
export const MATRIX_CELL_STATUSES = {
  '-': 'not_in_plan',
  '0': 'not_open',
  o: 'open',
  s: 'submitted',
  r: 'returned',
  a: 'accepted',
  d: 'due_soon',
  x: 'overdue',
  e: 'escalated',
  w: 'waived',
  c: 'cancelled',
} as const;
export type MatrixCellCode = keyof typeof MATRIX_CELL_STATUSES;
export type MatrixCellStatus = (typeof MATRIX_CELL_STATUSES)[MatrixCellCode];
export const MATRIX_STATUS_NAMES = Object.values(MATRIX_CELL_STATUSES) as MatrixCellStatus[];

const MAX_UNITS_PER_PAGE = 100_000;
const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;
const toInt = ({ value }: { value: unknown }) =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

export class ProgressMatrixQuery {
  @ApiPropertyOptional({ description: 'Only the columns (steps) of this stage key.', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  stage?: string;

  @ApiPropertyOptional({
    description: 'Only units with at least one shown cell in one of these statuses (comma-separated).',
    enum: MATRIX_STATUS_NAMES,
    isArray: true,
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(MATRIX_STATUS_NAMES.length)
  @IsIn(MATRIX_STATUS_NAMES, { each: true, message: `each status must be one of ${MATRIX_STATUS_NAMES.join(', ')}` })
  status?: MatrixCellStatus[];

  @ApiPropertyOptional({
    description: 'Only units of these kinds (comma-separated).',
    enum: unitKindKeys,
    isArray: true,
  })
  @IsOptional()
  @Transform(toList)
  @IsArray()
  @ArrayMaxSize(unitKindKeys.length)
  @IsIn(unitKindKeys, { each: true, message: `each kind must be one of ${unitKindKeys.join(', ')}` })
  kind?: string[];

  @ApiPropertyOptional({
    description: 'Only units in the subtree of this unit code (the unit included).',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subtree?: string;

  @ApiPropertyOptional({
    description: 'Only units whose code or name contains this text (case-insensitive).',
    maxLength: 100,
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  search?: string;

  @ApiPropertyOptional({ description: 'Units to skip (ordered by unit code).', default: 0, minimum: 0 })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  offset?: number;

  @ApiPropertyOptional({
    description: `Units per page; up to ${MAX_UNITS_PER_PAGE.toLocaleString('en')} returns a whole district in one compact answer.`,
    default: 1000,
    minimum: 1,
    maximum: MAX_UNITS_PER_PAGE,
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(MAX_UNITS_PER_PAGE)
  limit?: number;

  @ApiPropertyOptional({
    description: 'A waiting step due within this many hours counts as due soon.',
    default: 72,
    minimum: 0,
    maximum: 8760,
  })
  @IsOptional()
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(8760)
  dueSoonHours?: number;

  @ApiPropertyOptional({
    description: 'Evaluate due soon / overdue at this instant instead of now (ISO date-time with offset).',
  })
  @IsOptional()
  @IsString()
  @Matches(ISO_DATE_TIME, { message: 'must be an ISO date-time with offset' })
  asOf?: string;
}

export class MatrixStepDto {
  @ApiProperty({ example: 'study-record' }) key: string;
  @ApiProperty({ example: 'study' }) stageKey: string;
  @ApiProperty({ example: '学习交流记录' }) title: string;
  @ApiProperty({ description: 'Earliest window opening of this step over the unit kinds.' }) opensAt: string;
  @ApiProperty({ description: 'Earliest planned due instant of this step over the unit kinds.' }) dueAt: string;
}

export class MatrixStageDto {
  @ApiProperty() key: string;
  @ApiProperty() title: string;
  @ApiProperty({ description: 'Index of the stage’s first column in `steps` and in every row’s `cells`.' })
  firstColumn: number;
  @ApiProperty({ description: 'Number of columns of the stage.' }) columns: number;
}

export class MatrixUnitRowDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: 'xh-s01' }) code: string;
  @ApiProperty({ example: '徐汇中学党支部' }) name: string;
  @ApiProperty({ enum: unitKindKeys }) kind: string;
  @ApiProperty({ nullable: true, type: String, description: 'The stage the unit is in.' }) stage: string | null;
  @ApiProperty({ description: 'One character per column of `steps`; see `legend`.', example: 'aao00000' })
  cells: string;
}

/** Counts of cells per status name (only statuses that occur). */
export class MatrixCountsDto {
  @ApiProperty({ description: 'Cells counted.' }) cells: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { open: 812, accepted: 3120 },
    description: 'Cells per status name.',
  })
  byStatus: Partial<Record<MatrixCellStatus, number>>;
}

/** MatrixCountsDto is only referenced from map values, so it is registered explicitly. */
@ApiExtraModels(MatrixCountsDto)
export class MatrixTotalsDto {
  @ApiProperty({ description: 'Units that match the filters (all pages).' }) units: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/MatrixCountsDto' },
    description: 'Per stage key, over the matching units.',
  })
  byStage: Record<string, MatrixCountsDto>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/MatrixCountsDto' },
    description: 'Per unit kind, over the matching units.',
  })
  byKind: Record<string, MatrixCountsDto>;
}

export class ProgressMatrixDto {
  @ApiProperty({ format: 'uuid' }) cycleId: string;
  @ApiProperty({ description: 'Instant the time-dependent statuses were evaluated at.' }) asOf: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string', enum: MATRIX_STATUS_NAMES },
    example: MATRIX_CELL_STATUSES,
    description: 'Cell code → status name.',
  })
  legend: Record<string, MatrixCellStatus>;
  @ApiProperty({ type: [MatrixStageDto] }) stages: MatrixStageDto[];
  @ApiProperty({ type: [MatrixStepDto], description: 'The columns, once, in stage order then by window and due date.' })
  steps: MatrixStepDto[];
  @ApiProperty() offset: number;
  @ApiProperty() limit: number;
  @ApiProperty({ type: [MatrixUnitRowDto], description: 'Matching units ordered by code, this page only.' })
  units: MatrixUnitRowDto[];
  @ApiProperty({ type: MatrixTotalsDto }) totals: MatrixTotalsDto;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { unitKindKeys } from '../../../../libs/domain/src';

/** Documentation of one import row (the import itself is checked row by row in import/unit-import.rows.ts). */
export class ImportUnitRowDoc {
  @ApiProperty({ example: 'xh-edu-01', description: 'Stable code; re-importing the same code updates the unit.' })
  code: string;
  @ApiProperty({ example: '徐汇区教育系统第一党总支' }) name: string;
  @ApiProperty({ enum: unitKindKeys, example: 'general_branch' }) kind: string;
  @ApiPropertyOptional({
    example: 'xh-edu',
    description: 'Code of the parent unit, in the same import or already stored; empty = root.',
  })
  parentCode?: string;
  @ApiPropertyOptional({ example: '李明' }) secretaryName?: string;
  @ApiPropertyOptional({ example: 'party@school.example.cn' }) email?: string;
  @ApiPropertyOptional({ example: '021-64000000' }) phone?: string;
  @ApiPropertyOptional({ example: 'https://hooks.example.cn/unit/1' }) webhookUrl?: string;
  @ApiPropertyOptional({ example: 'Asia/Shanghai' }) timeZone?: string;
  @ApiPropertyOptional({
    example: [{ name: '王芳', role: '组织委员', email: 'wf@school.example.cn' }],
    description: 'Contacts (JSON array; in CSV a JSON text in the cell).',
    type: 'array',
    items: { type: 'object' },
  })
  contacts?: object[];
}

export class ImportUnitsDoc {
  @ApiProperty({ type: [ImportUnitRowDoc] }) units: ImportUnitRowDoc[];
}

export class ImportResultDto {
  @ApiProperty({ example: 12 }) created: number;
  @ApiProperty({ example: 3 }) updated: number;
  @ApiProperty({
    type: [String],
    description:
      'Imported, but to fix: e.g. a unit tree with no way to reach the office (no unit of kind office, NOTICE_OFFICE_EMAILS empty)',
    example: [],
  })
  warnings: string[];
}

export class ListUnitsQuery {
  @ApiPropertyOptional({ enum: unitKindKeys }) @IsOptional() @IsIn(unitKindKeys) kind?: string;
  @ApiPropertyOptional({ description: 'Code of the parent: only its direct children.' })
  @IsOptional()
  @IsString()
  parent?: string;
  @ApiPropertyOptional({ default: 1000, maximum: 10000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10000)
  limit?: number;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
}

export class UnitTreeQuery {
  @ApiPropertyOptional({ description: 'Code of the unit whose subtree to return; all roots when absent.' })
  @IsOptional()
  @IsString()
  root?: string;
}

export class UnitDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: unitKindKeys }) kind: string;
  @ApiProperty({ nullable: true, type: String }) parentCode: string | null;
  @ApiProperty({ nullable: true, type: String }) secretaryName: string | null;
  @ApiProperty({ nullable: true, type: String }) email: string | null;
  @ApiProperty({ nullable: true, type: String }) phone: string | null;
  @ApiProperty({ nullable: true, type: String }) webhookUrl: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) contacts: object[];
  @ApiProperty({ nullable: true, type: String }) timeZone: string | null;
}

export class UnitPageDto {
  @ApiProperty() total: number;
  @ApiProperty() limit: number;
  @ApiProperty() offset: number;
  @ApiProperty({ type: [UnitDto] }) items: UnitDto[];
}

export class UnitTreeNodeDto {
  @ApiProperty() id: string;
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() kind: string;
  @ApiProperty({ type: () => [UnitTreeNodeDto] }) children: UnitTreeNodeDto[];
}

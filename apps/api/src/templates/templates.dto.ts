import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { unitKindKeys } from '../../../../libs/domain/src/units/unit-kind';

/** JSON form of a template upload; the same document may instead be sent as a raw YAML body. */
export class TemplateDocumentBodyDto {
  @ApiProperty({
    description:
      'The template document (an object), or its YAML text as a string. See templates/builtin/*.yaml for complete examples.',
    oneOf: [{ type: 'object', additionalProperties: true }, { type: 'string' }],
    example: {
      key: 'drill-2027',
      name: '2027年演练',
      referenceYear: 2027,
      stages: [
        {
          key: 'kick-off',
          title: '启动',
          window: { opens: { after: 'PT0S' }, closes: { after: 'PT10M' } },
          steps: [
            {
              key: 'plan',
              title: '活动方案',
              due: { after: 'PT2M', from: 'stage' },
              deliverables: [{ key: 'plan', kind: 'plan_with_items', title: '方案' }],
            },
          ],
        },
      ],
    },
  })
  document: object | string;
}

export class TemplateSummaryStageDto {
  @ApiProperty() key: string;
  @ApiProperty() title: string;
  @ApiProperty({ type: [String], description: 'Step keys (recurring milestones are listed separately)' })
  steps: string[];
}

export class TemplateSummaryDto {
  @ApiProperty() key: string;
  @ApiProperty() name: string;
  @ApiProperty() referenceYear: number;
  @ApiProperty() timeZone: string;
  @ApiProperty({ type: [TemplateSummaryStageDto] }) stages: TemplateSummaryStageDto[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object', properties: { series: { type: 'string' }, title: { type: 'string' } } },
  })
  recurring: { series: string; title: string }[];
}

export class SaveTemplateResponseDto {
  @ApiProperty({ description: 'Id of the stored version' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty({ description: 'The stored version: new (201) or the existing one with the same content (200)' })
  version: number;
  @ApiProperty() created: boolean;
  @ApiProperty({ description: 'sha256 of the canonical JSON document' }) checksum: string;
  @ApiProperty({ type: TemplateSummaryDto }) summary: TemplateSummaryDto;
}

export class TemplateVersionRowDto {
  @ApiProperty() key: string;
  @ApiProperty() version: number;
  @ApiProperty() name: string;
  @ApiProperty() checksum: string;
  @ApiProperty({ enum: ['builtin', 'api'] }) source: string;
  @ApiPropertyOptional({ nullable: true, type: String }) createdBy: string | null;
  @ApiProperty() createdAt: Date;
}

export class TemplateVersionDto extends TemplateVersionRowDto {
  @ApiProperty() id: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The document as written' })
  document: unknown;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: 'The resolved CyclePlan, when startsOn is given',
  })
  preview?: unknown;
}

export class PreviewQueryDto {
  @ApiPropertyOptional({
    example: '2027-03-01',
    description: 'Resolve a preview plan for a cycle starting on this local date (template zone)',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  startsOn?: string;

  @ApiPropertyOptional({
    enum: unitKindKeys,
    default: 'school',
    description: 'Unit kind of the preview (steps for other kinds are dropped)',
  })
  @IsOptional()
  @IsIn(unitKindKeys, { message: `must be one of: ${unitKindKeys.join(', ')}` })
  unitKind?: string;
}

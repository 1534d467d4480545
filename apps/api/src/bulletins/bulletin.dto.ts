import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, Max, Min } from 'class-validator';

export class BulletinQuery {
  @ApiPropertyOptional({
    description: 'Count days overdue as of this instant (default: now).',
    example: '2009-05-10T00:00:00+08:00',
  })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'asOf must be an ISO 8601 instant such as 2009-05-10T00:00:00+08:00' })
  asOf?: string;
}

export class BulletinExportQuery extends BulletinQuery {
  @ApiProperty({ enum: ['xlsx', 'csv'] })
  @IsIn(['xlsx', 'csv'], { message: 'format must be xlsx or csv' })
  format: 'xlsx' | 'csv';
}

export class BulletinStepDto {
  @ApiProperty() stepKey: string;
  @ApiProperty() title: string;
  @ApiProperty() stageKey: string;
  @ApiProperty() dueAt: string;
  @ApiProperty() daysOverdue: number;
  @ApiProperty({ enum: ['open', 'returned'] }) status: string;
}

export class BulletinEntryDto {
  @ApiProperty({ description: '1 = the most overdue' }) rank: number;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty() unitKind: string;
  @ApiProperty({ nullable: true, type: String }) parentName: string | null;
  @ApiProperty({ description: 'Days overdue of its most overdue step' }) daysOverdue: number;
  @ApiProperty({ type: [BulletinStepDto] }) steps: BulletinStepDto[];
}

export class BulletinDto {
  @ApiProperty() cycleId: string;
  @ApiProperty() cycleName: string;
  @ApiProperty({ example: 'Asia/Shanghai', description: "The cycle's time zone (dates are shown in it)" })
  timeZone: string;
  @ApiProperty() asOf: string;
  @ApiProperty({ type: [BulletinEntryDto] }) entries: BulletinEntryDto[];
}

export class OverdueQuery extends BulletinQuery {
  @ApiPropertyOptional({ default: 500, minimum: 1, maximum: 5000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(5000)
  limit?: number;
}

export class OverdueItemDto {
  @ApiProperty() unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty() unitKind: string;
  @ApiProperty({ nullable: true, type: String }) parentName: string | null;
  @ApiProperty() stepKey: string;
  @ApiProperty() stepTitle: string;
  @ApiProperty() stageKey: string;
  @ApiProperty({ enum: ['open', 'returned'] }) status: string;
  @ApiProperty() dueAt: string;
  @ApiProperty({ description: 'Whole days since the due instant' }) daysOverdue: number;
  @ApiProperty({ description: 'Escalation rungs fired so far (0: none; the ladder of the template)' })
  escalationLevel: number;
  @ApiProperty({ description: 'On the bulletin rung (通报)' }) onBulletin: boolean;
}

export class OverdueListDto {
  @ApiProperty() cycleId: string;
  @ApiProperty() cycleName: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty() asOf: string;
  @ApiProperty({ description: 'All overdue steps (items holds at most `limit`)' }) total: number;
  @ApiProperty({ type: [OverdueItemDto] }) items: OverdueItemDto[];
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';

export class BulletinQuery {
  @ApiPropertyOptional({ description: 'Count days overdue as of this instant (default: now).', example: '2009-05-10T00:00:00+08:00' })
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
  @ApiProperty() asOf: string;
  @ApiProperty({ type: [BulletinEntryDto] }) entries: BulletinEntryDto[];
}

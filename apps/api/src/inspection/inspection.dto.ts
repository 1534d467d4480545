import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class TimelineQuery {
  @ApiPropertyOptional({
    enum: ['summary', 'all'],
    default: 'summary',
    description: '`all` adds Temporal bookkeeping events (workflow tasks, activity scheduled/started)',
  })
  @IsOptional()
  @IsIn(['summary', 'all'], { message: 'must be summary or all' })
  detail?: 'summary' | 'all';
}

export class WhyQuery {
  @ApiProperty({ example: 's1-study' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  stepKey: string;

  @ApiPropertyOptional({ description: 'ISO instant the explanation is for (overdue days); default now' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'must be an ISO 8601 date-time' })
  asOf?: string;
}

export class TimelineEntryDto {
  @ApiProperty({ description: 'ISO instant (UTC)' }) at: string;
  @ApiProperty({ description: 'The same instant in the cycle’s time zone', example: '2027-05-01 08:00:00' })
  atLocal: string;
  @ApiProperty({
    enum: ['read-model', 'temporal', 'api', 'delivery'],
    description:
      '`api`: an update the workflow refused, recorded by the api (Temporal keeps no history of rejected updates); `delivery`: a notice delivery that died, or a notice that reached no one',
  })
  source: 'read-model' | 'temporal' | 'api' | 'delivery';
  @ApiProperty({ description: 'unit_event kind, or the Temporal event type' }) kind: string;
  @ApiProperty() en: string;
  @ApiProperty() zh: string;
  @ApiProperty({ nullable: true, type: String }) actor: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Temporal event id within its run' }) eventId:
    number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'unit_event.seq' }) seq: number | null;
  @ApiProperty({ nullable: true, type: String }) runId: string | null;
  @ApiProperty({ nullable: true, type: Number, description: '1 for the first run; +1 per continue-as-new' }) runNumber:
    number | null;
  @ApiProperty({ nullable: true, type: String, description: 'Temporal Web UI page of the run (TEMPORAL_UI_URL)' })
  link: string | null;
}

export class TimelineDto {
  @ApiProperty() cycleId: string;
  @ApiProperty() unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() workflowId: string;
  @ApiProperty({ example: 'Asia/Shanghai' }) timeZone: string;
  @ApiProperty({ type: [String] }) runIds: string[];
  @ApiProperty({ type: [TimelineEntryDto] }) entries: TimelineEntryDto[];
}

export class WhyDto {
  @ApiProperty() stepKey: string;
  @ApiProperty() title: string;
  @ApiProperty() status: string;
  @ApiProperty({ example: 'Open since 2027-05-01 00:00 (Asia/Shanghai); due 2027-06-30 23:59:59; overdue 9 days' })
  en: string;
  @ApiProperty() zh: string;
  @ApiProperty({ description: 'overdueDays, extensions, escalations [{ audience, at }], onBulletin' }) facts: object;
  @ApiProperty() asOf: string;
}

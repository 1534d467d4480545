import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { AuditService } from './audit.service';
import { Authorized } from '../auth/authorized.decorator';

export class AuditLogQuery {
  @ApiPropertyOptional({ example: 'submission' }) @IsOptional() @IsString() @MaxLength(100) entity?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) entityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() actorId?: string;
  @ApiPropertyOptional({ example: 'submission.submit' }) @IsOptional() @IsString() @MaxLength(100) action?: string;
  @ApiPropertyOptional({
    example: 'submission.',
    description: 'Actions starting with this text (e.g. every submission action)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  actionPrefix?: string;
  @ApiPropertyOptional({ example: 'office@', description: "Part of the actor's e-mail, case-insensitive" })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  actor?: string;
  @ApiPropertyOptional({ description: 'ISO instant, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'ISO instant, exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
  @ApiPropertyOptional({ description: 'Entries with id below this (paging backwards)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  before?: number;
  @ApiProperty({ required: false, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class AuditEntryDto {
  @ApiProperty() id: number;
  @ApiProperty() at: string;
  @ApiProperty({ nullable: true, type: String }) actorId: string | null;
  @ApiProperty({ nullable: true, type: String }) actorEmail: string | null;
  @ApiProperty({ type: [String] }) actorRoles: string[];
  @ApiProperty({ example: 'submission.return' }) action: string;
  @ApiProperty({ example: 'submission' }) entity: string;
  @ApiProperty({ nullable: true, type: String }) entityId: string | null;
  @ApiProperty({ nullable: true, type: String }) ip: string | null;
  @ApiProperty({ nullable: true, description: 'State before the change (JSON)' }) before: unknown;
  @ApiProperty({ nullable: true, description: 'State after the change, or the response (JSON)' }) after: unknown;
}

/** Read-only view of audit_log for office admins and auditors, newest first, paged by id. */
@ApiTags('audit')
@Controller('audit-log')
export class AuditLogController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Authorized('office_admin', 'auditor')
  @ApiOperation({ summary: 'Who did what, when, from where (newest first; page with `before`)' })
  @ApiOkResponse({ type: [AuditEntryDto] })
  list(@Query() q: AuditLogQuery) {
    return this.audit.list(q);
  }
}

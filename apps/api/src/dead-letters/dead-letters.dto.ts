import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NOTICE_CHANNELS, type NoticeChannel } from '../../../../libs/domain/src/notices/channels';

/** The channels a dead letter can have: the five, and `none` (the notice reached no one on its audience). */
const DEAD_LETTER_CHANNELS: readonly string[] = [...NOTICE_CHANNELS, 'none'];

export class DeadLetterQuery {
  @ApiPropertyOptional({ enum: DEAD_LETTER_CHANNELS })
  @IsOptional()
  @IsIn(DEAD_LETTER_CHANNELS as string[], { message: `channel must be one of ${DEAD_LETTER_CHANNELS.join(', ')}` })
  channel?: NoticeChannel | 'none';

  @ApiPropertyOptional({
    description: 'Part of the error text, case-insensitive (e.g. "550" or "timeout")',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string;

  @ApiPropertyOptional({ description: 'Dead at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'from must be an ISO 8601 instant' })
  from?: string;

  @ApiPropertyOptional({ description: 'Dead before this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'to must be an ISO 8601 instant' })
  to?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;
}

export class DeadLetterDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({
    enum: DEAD_LETTER_CHANNELS,
    description: '`none`: the notice reached no one on its audience (lastError says why)',
  })
  channel: string;
  @ApiProperty() recipientName: string;
  @ApiProperty({ description: 'E-mail address or webhook URL (robot keys redacted)' }) address: string;
  @ApiProperty() attempts: number;
  @ApiProperty({ description: 'The error that made the delivery dead, e.g. "SMTP 550: 550 5.1.1 mailbox unavailable"' })
  lastError: string;
  @ApiProperty() deadAt: string;
  @ApiProperty({
    example: {
      kind: 'due',
      audience: 'unit',
      cycleId: '…',
      unitCode: 'xh-s01',
      stepKey: 'study-research',
      occurrence: 0,
    },
  })
  notice: Record<string, unknown>;
}

export class RetryQueuedDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: NOTICE_CHANNELS }) channel: string;
  @ApiProperty({
    enum: ['pending'],
    description:
      "Back in the outbox, due now: the channel's outbox dispatcher sends it (GET the dead-letter list to see it gone)",
  })
  status: 'pending';
}

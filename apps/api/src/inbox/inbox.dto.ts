import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

export class InboxQuery {
  @ApiPropertyOptional({ description: 'Only messages not yet read.', default: false })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unreadOnly?: boolean;

  @ApiPropertyOptional({ description: 'Newest first; at most this many.', default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  )
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class InboxMessageDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ enum: ['reminder', 'due', 'escalation'] }) kind: string;
  @ApiProperty({ example: '【提醒】学习实践活动：第一中学党支部「开展学习调研」将于2009年4月30日 17:00截止' })
  subject: string;
  @ApiProperty() body: string;
  @ApiProperty({ nullable: true, type: String }) link: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty({ nullable: true, type: String }) readAt: string | null;
}

export class InboxPageDto {
  @ApiProperty() unitCode: string;
  @ApiProperty({ description: 'Unread messages in the whole inbox (not only this page).' }) unread: number;
  @ApiProperty({ type: [InboxMessageDto] }) items: InboxMessageDto[];
}

export class UnreadCountDto {
  @ApiProperty() unitCode: string;
  @ApiProperty() unread: number;
}

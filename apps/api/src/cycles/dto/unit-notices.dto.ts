import { ApiProperty } from '@nestjs/swagger';

/** One delivery of a notice: who (by name), on which channel, and whether it went out and was read. No addresses. */
export class NoticeDeliveryViewDto {
  @ApiProperty({ enum: ['email', 'wecom', 'dingtalk', 'webhook', 'inbox'] }) channel: string;
  @ApiProperty({ example: '徐汇中学党支部' }) recipientName: string;
  @ApiProperty({ description: 'Name of the unit whose contact received it (the unit, its parent or the office).' })
  recipientUnitName: string;
  @ApiProperty({ enum: ['pending', 'sent', 'muted', 'dead'] }) status: string;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'When the recipient opened it (in-app inbox only; other channels do not report reading).',
  })
  readAt: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Quiet hours / non-working day: held until this instant.' })
  notBefore: string | null;
  @ApiProperty() attempts: number;
}

/** A reminder, due notice or escalation planned for a unit's step, with its deliveries. */
export class UnitNoticeDto {
  @ApiProperty() id: string;
  @ApiProperty() stepKey: string;
  @ApiProperty({ enum: ['reminder', 'due', 'escalation'] }) kind: string;
  @ApiProperty({ description: '1-based occurrence of this kind for the step' }) occurrence: number;
  @ApiProperty({ nullable: true, type: Number, description: 'Escalation rung (0-based), null otherwise' }) rung:
    number | null;
  @ApiProperty({ enum: ['unit', 'parent', 'office'] }) audience: string;
  @ApiProperty() scheduledFor: string;
  @ApiProperty({ description: 'The step’s due instant the notice was planned for' }) dueAt: string;
  @ApiProperty({ type: [NoticeDeliveryViewDto] }) deliveries: NoticeDeliveryViewDto[];
}

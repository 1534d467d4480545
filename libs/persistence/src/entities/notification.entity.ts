import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { UnitContact } from './unit.entity';

/** 'none': no one to send to on the notice's audience (always `dead`, reason in last_error). */
export type DeliveryChannel = 'email' | 'wecom' | 'dingtalk' | 'webhook' | 'inbox' | 'none';
export type DeliveryStatus = 'pending' | 'sent' | 'muted' | 'dead';

/**
 * Outbox row: one notice for one recipient on one channel. `dedupe_key` (notice key + channel + address) makes it
 * exactly-once; `status = 'sent'` is the fact a retried activity checks before sending again.
 */
@Entity({ name: 'notice_delivery' })
export class NoticeDeliveryRow {
  @PrimaryColumn('uuid') id: string;
  @Column('text', { name: 'dedupe_key' }) dedupeKey: string;
  @Column('bigint', { name: 'notice_id' }) noticeId: string;
  @Column('text') channel: DeliveryChannel;
  /** The unit whose contact this is (the notice's unit, its parent, or the office unit); NULL: the office itself (no office unit). */
  @Column('uuid', { name: 'recipient_unit_id', nullable: true }) recipientUnitId: string | null;
  @Column('text', { name: 'recipient_name' }) recipientName: string;
  /** e-mail address, webhook URL, or `unit:<id>` for the inbox. */
  @Column('text') address: string;
  /** Snapshot of the contact at planning time (includes a DingTalk secret when the robot uses signing). */
  @Column('jsonb') recipient: UnitContact;
  @Column('text') locale: 'zh-CN' | 'en';
  /** Due notices and escalations: never muted by preferences. */
  @Column('boolean') critical: boolean;
  /** RFC 5322 Message-ID derived from dedupe_key; a resend after a crash carries the same one. */
  @Column('text', { name: 'message_id' }) messageId: string;
  @Column('text') status: DeliveryStatus;
  /** Quiet hours / non-working days: not sent before this instant. */
  @Column('timestamptz', { name: 'not_before', nullable: true }) notBefore: Date | null;
  @Column('int') attempts: number;
  @Column('text', { name: 'last_error', nullable: true }) lastError: string | null;
  /** Rendered once and kept, so a resend is byte-for-byte the same message. */
  @Column('text', { nullable: true }) subject: string | null;
  @Column('text', { nullable: true }) body: string | null;
  @Column('timestamptz', { name: 'sent_at', nullable: true }) sentAt: Date | null;
  @Column('timestamptz', { name: 'dead_at', nullable: true }) deadAt: Date | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'updated_at', default: () => 'now()' }) updatedAt: Date;
}

/** A message in a unit's in-app inbox (the `inbox` channel). */
@Entity({ name: 'inbox_message' })
export class InboxMessageRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  /** NULL: the office's own inbox (the unit tree has no unit of kind office). */
  @Column('uuid', { name: 'unit_id', nullable: true }) unitId: string | null;
  @Column('uuid', { name: 'delivery_id' }) deliveryId: string;
  @Column('text', { name: 'notice_kind' }) noticeKind: string;
  @Column('text') subject: string;
  @Column('text') body: string;
  @Column('text', { nullable: true }) link: string | null;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
  @Column('timestamptz', { name: 'read_at', nullable: true }) readAt: Date | null;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A contact of a unit, with the channels it can be reached on (see libs/notifications). */
export interface UnitContact {
  name: string;
  role?: string;
  email?: string;
  phone?: string;
  wecomWebhook?: string;
  dingtalkWebhook?: string;
  dingtalkSecret?: string;
  webhookUrl?: string;
  locale?: 'zh-CN' | 'en';
  muteReminders?: boolean;
}

/** A party organisation (党委 / 党总支 / 党支部) in the unit tree. */
@Entity({ name: 'unit' })
export class UnitRow {
  @PrimaryColumn('uuid') id: string;
  @Column('text') code: string;
  @Column('text') name: string;
  @Column('text') kind: string;
  @Column('uuid', { name: 'parent_id', nullable: true }) parentId: string | null;
  @Column('text', { name: 'secretary_name', nullable: true }) secretaryName: string | null;
  @Column('text', { nullable: true }) email: string | null;
  @Column('text', { nullable: true }) phone: string | null;
  @Column('text', { name: 'webhook_url', nullable: true }) webhookUrl: string | null;
  @Column('jsonb', { default: () => "'[]'" }) contacts: UnitContact[];
  @Column('text', { name: 'time_zone', nullable: true }) timeZone: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One saved version of a template document. Saving a changed document makes a new version; cycles pin one. */
@Entity({ name: 'campaign_template' })
export class CampaignTemplateRow {
  @PrimaryColumn('uuid') id: string;
  @Column('text') key: string;
  @Column('int') version: number;
  @Column('text') name: string;
  @Column('jsonb') document: unknown;
  @Column('text') checksum: string;
  @Column('text') source: 'builtin' | 'api';
  @Column('text', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}

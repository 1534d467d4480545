import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A login account. Unit roles (unit_secretary, unit_submitter) act for `unitId`; other roles have no unit. */
@Entity({ name: 'app_user' })
export class UserRow {
  @PrimaryColumn('uuid') id: string;
  @Column('text') email: string;
  @Column('text', { name: 'display_name' }) displayName: string;
  @Column('text', { name: 'password_hash', select: false }) passwordHash: string;
  @Column('text', { array: true }) roles: string[];
  @Column('uuid', { name: 'unit_id', nullable: true }) unitId: string | null;
  @Column('boolean', { default: true }) active: boolean;
  /** Carried in every token (`tv`); bumped on password change and deactivation, which ends every earlier token. */
  @Column('int', { name: 'token_version', default: 0 }) tokenVersion: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

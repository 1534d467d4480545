import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

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

/** One write: who (and in which roles), what, on which entity, from where, with before/after where it matters. */
@Entity({ name: 'audit_log' })
export class AuditLogRow {
  @PrimaryGeneratedColumn({ type: 'bigint' }) id: string;
  @Column('timestamptz', { default: () => 'now()' }) at: Date;
  @Column('uuid', { name: 'actor_id', nullable: true }) actorId: string | null;
  @Column('text', { name: 'actor_email', nullable: true }) actorEmail: string | null;
  @Column('text', { name: 'actor_roles', array: true, default: () => "'{}'" }) actorRoles: string[];
  @Column('text') action: string;
  @Column('text') entity: string;
  @Column('text', { name: 'entity_id', nullable: true }) entityId: string | null;
  @Column('text', { nullable: true }) ip: string | null;
  @Column('jsonb', { nullable: true }) before: unknown;
  @Column('jsonb', { nullable: true }) after: unknown;
}

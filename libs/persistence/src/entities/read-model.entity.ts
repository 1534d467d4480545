import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import type { StepStatusName } from '../../../domain/src/campaign/statuses';

export type StepStatus = StepStatusName;

/** Read model: one row per unit × step of a cycle, written by the unit workflow's activities (idempotent by seq). */
@Entity({ name: 'unit_step_status' })
export class UnitStepStatusRow {
  @PrimaryColumn('uuid', { name: 'cycle_id' }) cycleId: string;
  @PrimaryColumn('uuid', { name: 'unit_id' }) unitId: string;
  @PrimaryColumn('text', { name: 'step_key' }) stepKey: string;
  @Column('text', { name: 'stage_key' }) stageKey: string;
  @Column('text') title: string;
  @Column('boolean') required: boolean;
  @Column('text') status: StepStatus;
  @Column('timestamptz', { name: 'opens_at' }) opensAt: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('timestamptz', { name: 'original_due_at' }) originalDueAt: Date;
  @Column('timestamptz', { name: 'opened_at', nullable: true }) openedAt: Date | null;
  @Column('timestamptz', { name: 'submitted_at', nullable: true }) submittedAt: Date | null;
  @Column('timestamptz', { name: 'returned_at', nullable: true }) returnedAt: Date | null;
  @Column('timestamptz', { name: 'accepted_at', nullable: true }) acceptedAt: Date | null;
  @Column('timestamptz', { name: 'waived_at', nullable: true }) waivedAt: Date | null;
  @Column('text', { name: 'last_submission_id', nullable: true }) lastSubmissionId: string | null;
  @Column('int', { name: 'escalation_level' }) escalationLevel: number;
  @Column('boolean', { name: 'on_bulletin' }) onBulletin: boolean;
  /** The unit workflow's event sequence number of the last write; older writes (retries) are ignored. */
  @Column('int') seq: number;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt: Date;
}

/** History an admin reads: every transition of a unit in a cycle, in plain words, with time and actor. */
@Entity({ name: 'unit_event' })
export class UnitEventRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('uuid', { name: 'cycle_id' }) cycleId: string;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('int') seq: number;
  @Column('text') kind: string;
  @Column('text', { name: 'stage_key', nullable: true }) stageKey: string | null;
  @Column('text', { name: 'step_key', nullable: true }) stepKey: string | null;
  @Column('timestamptz') at: Date;
  @Column('text') actor: string;
  @Column('text') summary: string;
  @Column('jsonb') detail: Record<string, unknown>;
  @Column('text', { name: 'workflow_run_id', nullable: true }) workflowRunId: string | null;
}

export type NoticeKind = 'reminder' | 'due' | 'escalation' | 'evaluation_reminder';
export type NoticeAudience = 'unit' | 'parent' | 'office';

/**
 * A deadline notice the unit workflow decided to send, or an evaluation reminder the office sent (`evaluation_id`;
 * its cycle is the evaluation's, possibly none); `dedupe_key` makes it exactly-once.
 */
@Entity({ name: 'notice' })
export class NoticeRow {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id: string;
  @Column('text', { name: 'dedupe_key' }) dedupeKey: string;
  @Column('uuid', { name: 'cycle_id', nullable: true }) cycleId: string | null;
  @Column('uuid', { name: 'evaluation_id', nullable: true }) evaluationId: string | null;
  @Column('uuid', { name: 'unit_id' }) unitId: string;
  @Column('text', { name: 'step_key' }) stepKey: string;
  @Column('text') kind: NoticeKind;
  /** Generation of the due date the notice belongs to (0, then +1 per extension). */
  @Column('int') occurrence: number;
  /** Index in the template's reminder offsets or escalation ladder. */
  @Column('int', { nullable: true }) rung: number | null;
  @Column('text') audience: NoticeAudience;
  @Column('timestamptz', { name: 'scheduled_for' }) scheduledFor: Date;
  @Column('timestamptz', { name: 'due_at' }) dueAt: Date;
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt: Date;
}

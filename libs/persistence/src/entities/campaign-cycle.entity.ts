import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { CycleState, CycleUnitStatus } from '../../../domain/src/campaign/statuses';

export type CycleStatus = CycleState;

/** A template version started for a date and a selection of units. */
@Entity({ name: 'campaign_cycle' })
export class CampaignCycleRow {
  @PrimaryColumn('uuid') id: string;
  @Column('text') name: string;
  @Column('uuid', { name: 'template_id' }) templateId: string;
  @Column('text', { name: 'template_key' }) templateKey: string;
  @Column('int', { name: 'template_version' }) templateVersion: number;
  @Column('timestamptz', { name: 'starts_at' }) startsAt: Date;
  @Column('text', { name: 'time_zone' }) timeZone: string;
  @Column('text') status: CycleStatus;
  @Column('jsonb') selection: unknown;
  /** Idempotency: the same start request (same key) never starts a second cycle. */
  @Column('text', { name: 'request_key' }) requestKey: string;
  @Column('text', { name: 'workflow_id' }) workflowId: string;
  @Column('int', { name: 'unit_count' }) unitCount: number;
  @Column('text', { name: 'created_by', nullable: true }) createdBy: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** The resolved plan (libs/domain UnitPlan without unit fields) shared by every unit of one kind in a cycle. */
@Entity({ name: 'cycle_plan' })
export class CyclePlanRow {
  @PrimaryColumn('uuid', { name: 'cycle_id' }) cycleId: string;
  @PrimaryColumn('text', { name: 'unit_kind' }) unitKind: string;
  @Column('jsonb') plan: unknown;
}

export type { CycleUnitStatus };

/** Membership of a unit in a cycle; `ordinal` pages the batch starter through 100,000 units without offsets. */
@Entity({ name: 'cycle_unit' })
export class CycleUnitRow {
  @PrimaryColumn('uuid', { name: 'cycle_id' }) cycleId: string;
  @PrimaryColumn('uuid', { name: 'unit_id' }) unitId: string;
  @Column('int') ordinal: number;
  @Column('text', { name: 'unit_kind' }) unitKind: string;
  @Column('text', { name: 'workflow_id' }) workflowId: string;
  @Column('text') status: CycleUnitStatus;
  @Column('text', { name: 'current_stage', nullable: true }) currentStage: string | null;
  @Column('timestamptz', { name: 'started_at', nullable: true }) startedAt: Date | null;
  @Column('timestamptz', { name: 'completed_at', nullable: true }) completedAt: Date | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

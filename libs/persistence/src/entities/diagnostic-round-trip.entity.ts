import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Written by the round-trip workflow's activity: proves api → Temporal → worker → PostgreSQL works. */
@Entity({ name: 'diagnostic_round_trip' })
export class DiagnosticRoundTrip {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  message: string;

  @Column('text', { name: 'workflow_id' })
  workflowId: string;

  @Column('timestamptz', { name: 'fired_at', comment: 'workflow time when the timer fired' })
  firedAt: Date;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt: Date;
}

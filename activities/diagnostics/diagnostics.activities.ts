import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DiagnosticRoundTrip } from '../../libs/persistence/src/entities';

export interface RecordRoundTripInput {
  id: string;
  message: string;
  workflowId: string;
  firedAt: string;
}

@Injectable()
export class DiagnosticsActivities {
  constructor(@InjectRepository(DiagnosticRoundTrip) private readonly rows: Repository<DiagnosticRoundTrip>) {}

  /** Idempotent: a retried attempt upserts the same row. */
  async recordRoundTrip(input: RecordRoundTripInput): Promise<void> {
    await this.rows.upsert(
      { id: input.id, message: input.message, workflowId: input.workflowId, firedAt: new Date(input.firedAt) },
      ['id'],
    );
  }
}

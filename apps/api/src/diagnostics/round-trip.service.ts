import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import { Repository } from 'typeorm';
import type { Env } from '../../../../libs/config/src';
import { DomainError } from '../../../../libs/domain/src';
import { DiagnosticRoundTrip } from '../../../../libs/persistence/src';
import { InjectTemporalClient } from '../../../../libs/temporal/src';
import type { roundTripWorkflow } from '../../../../workflows/diagnostics/round-trip.workflow';
import type { StartRoundTripDto } from './round-trip.dto';

@Injectable()
export class RoundTripService {
  constructor(
    @InjectTemporalClient() private readonly temporal: Client,
    @InjectRepository(DiagnosticRoundTrip) private readonly rows: Repository<DiagnosticRoundTrip>,
    private readonly config: ConfigService<Env, true>,
  ) {}

  async start(dto: StartRoundTripDto) {
    const id = randomUUID();
    const handle = await this.temporal.workflow.start<typeof roundTripWorkflow>('roundTripWorkflow', {
      taskQueue: this.config.get('TEMPORAL_TASK_QUEUE', { infer: true }),
      workflowId: `diagnostics-round-trip-${id}`,
      args: [{ id, message: dto.message, delayMs: dto.delaySeconds * 1000 }],
    });
    return { id, workflowId: handle.workflowId };
  }

  async get(id: string) {
    const row = await this.rows.findOneBy({ id });
    if (!row) throw DomainError.notFound(`round trip ${id} (not recorded yet, or unknown)`);
    return row;
  }
}

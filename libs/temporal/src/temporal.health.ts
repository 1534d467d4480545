import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { Client } from '@temporalio/client';
import { InjectTemporalClient } from './temporal.module';

/** Terminus indicator: asks the Temporal frontend's gRPC health service, with a short deadline. */
@Injectable()
export class TemporalHealthIndicator {
  constructor(
    @InjectTemporalClient() private readonly client: Client,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'temporal') {
    const indicator = this.health.check(key);
    try {
      await this.client.connection.withDeadline(Date.now() + 3000, () =>
        this.client.connection.workflowService.getSystemInfo({}),
      );
      return indicator.up({ namespace: this.client.options.namespace });
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

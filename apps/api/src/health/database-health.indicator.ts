import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { HealthRepository } from './health.repository';

/** Database reachability, checked on the health checks' own connection (HealthRepository). */
@Injectable()
export class DatabaseHealthIndicator {
  constructor(
    private readonly connection: HealthRepository,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'database') {
    const indicator = this.health.check(key);
    try {
      await this.connection.ping();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}

import { Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { HealthRepository } from './health.repository';

type Indicator = ReturnType<HealthIndicatorService['check']>;

/**
 * An indicator that reads on the health checks' own connection (HealthRepository, statement_timeout 3 s), so a busy
 * request pool cannot make a check fail. A read that throws is the indicator down, its message after `failure`.
 */
@Injectable()
export abstract class ConnectionHealthIndicator {
  constructor(
    protected readonly connection: HealthRepository,
    private readonly health: HealthIndicatorService,
  ) {}

  protected async indicate(
    key: string,
    failure: string,
    read: (indicator: Indicator) => Promise<HealthIndicatorResult>,
  ): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    try {
      return await read(indicator);
    } catch (error) {
      return indicator.down({ message: `${failure}${(error as Error).message}` });
    }
  }
}

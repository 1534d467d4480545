import { Injectable } from '@nestjs/common';
import { ConnectionHealthIndicator } from './connection-health.indicator';

/** Database reachability, checked on the health checks' own connection (HealthRepository). */
@Injectable()
export class DatabaseHealthIndicator extends ConnectionHealthIndicator {
  isHealthy(key = 'database') {
    return this.indicate(key, '', async (indicator) => {
      await this.connection.ping();
      return indicator.up();
    });
  }
}

import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { TemporalHealthIndicator } from '../../../../libs/temporal/src';
import { Public } from '../auth/authorized.decorator';
import { DatabaseHealthIndicator } from './database-health.indicator';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: DatabaseHealthIndicator,
    private readonly temporal: TemporalHealthIndicator,
  ) {}

  @Get()
  @Public() // probes (load balancer, npm start) carry no token
  @HealthCheck()
  @ApiOperation({ summary: 'Database and Temporal reachability (200 when both are up, 503 otherwise)' })
  check() {
    return this.health.check([() => this.db.isHealthy(), () => this.temporal.isHealthy()]);
  }
}

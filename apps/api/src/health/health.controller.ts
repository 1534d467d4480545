import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { TemporalHealthIndicator } from '../../../../libs/temporal/src';
import { Public } from '../auth/authorized.decorator';
import { DatabaseHealthIndicator } from './database-health.indicator';
import { WorkerHealthIndicator } from './worker.health';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: DatabaseHealthIndicator,
    private readonly temporal: TemporalHealthIndicator,
    private readonly worker: WorkerHealthIndicator,
  ) {}

  @Get()
  @Public() // probes (load balancer, npm start) carry no token
  @HealthCheck()
  @ApiOperation({
    summary:
      'Database and Temporal reachability, and a live worker (a heartbeat within 20 s): 200 when all three are up, 503 otherwise',
  })
  check() {
    return this.health.check([
      () => this.db.isHealthy(),
      () => this.temporal.isHealthy(),
      () => this.worker.isHealthy(),
    ]);
  }
}

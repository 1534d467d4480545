import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TemporalHealthIndicator } from '../../../../libs/temporal/src';
import { DatabaseHealthIndicator } from './database-health.indicator';
import { HealthController } from './health.controller';
import { HealthRepository } from './health.repository';
import { WorkerHealthIndicator } from './worker.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [HealthRepository, TemporalHealthIndicator, DatabaseHealthIndicator, WorkerHealthIndicator],
})
export class HealthModule {}

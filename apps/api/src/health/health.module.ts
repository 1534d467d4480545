import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TemporalHealthIndicator } from '../../../../libs/temporal/src';
import { HealthController } from './health.controller';
import { WorkerHealthIndicator } from './worker.health';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [TemporalHealthIndicator, WorkerHealthIndicator],
})
export class HealthModule {}

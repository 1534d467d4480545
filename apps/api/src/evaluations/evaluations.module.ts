import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsService } from './evaluations.service';
import { EvaluationReminderStarter } from './evaluation-reminder-starter';
import { EvaluationRepository } from './evaluation.repository';

@Module({
  imports: [IdempotencyModule],
  controllers: [EvaluationsController],
  providers: [EvaluationsService, EvaluationReminderStarter, EvaluationRepository],
})
export class EvaluationsModule {}

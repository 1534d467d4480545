import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { EvaluationsController } from './evaluations.controller';
import { EvaluationsService } from './evaluations.service';

@Module({ imports: [IdempotencyModule], controllers: [EvaluationsController], providers: [EvaluationsService] })
export class EvaluationsModule {}

import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { CommitmentsController } from './commitments.controller';
import { CommitmentRepository } from './commitment.repository';
import { CommitmentsService } from './commitments.service';

@Module({
  imports: [IdempotencyModule],
  controllers: [CommitmentsController],
  providers: [CommitmentsService, CommitmentRepository],
})
export class CommitmentsModule {}

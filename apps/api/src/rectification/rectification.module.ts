import { Module } from '@nestjs/common';
import { PublishedPlansService } from './published-plans.service';
import { RectificationController } from './rectification.controller';
import { RectificationRepository } from './rectification.repository';
import { UnitRectificationService } from './unit-rectification.service';

@Module({
  controllers: [RectificationController],
  providers: [PublishedPlansService, UnitRectificationService, RectificationRepository],
})
export class RectificationModule {}

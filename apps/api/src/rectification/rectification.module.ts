import { Module } from '@nestjs/common';
import { PublishedPlansService } from './published-plans.service';
import { RectificationController } from './rectification.controller';
import { UnitRectificationService } from './unit-rectification.service';

@Module({ controllers: [RectificationController], providers: [PublishedPlansService, UnitRectificationService] })
export class RectificationModule {}

import { Module } from '@nestjs/common';
import { activityClasses } from './activity-classes';
import { UnitReadModelRepository } from './campaign/unit-read-model.repository';

@Module({
  providers: [...activityClasses, UnitReadModelRepository],
  exports: [...activityClasses],
})
export class ActivitiesModule {}

import { Module } from '@nestjs/common';
import { activityClasses } from './activity-classes';

@Module({
  providers: [...activityClasses],
  exports: [...activityClasses],
})
export class ActivitiesModule {}

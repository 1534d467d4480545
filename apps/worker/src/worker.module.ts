import { Module } from '@nestjs/common';
import { AppConfigModule, structuredLogger } from '../../../libs/config/src';
import { PersistenceModule } from '../../../libs/persistence/src';
import { TemporalClientModule } from '../../../libs/temporal/src';
import { ActivitiesModule } from '../../../activities/activities.module';
import { NoticeWorkersService } from './notice-workers.service';
import { TemporalWorkerService } from './temporal-worker.service';
import { WorkerHeartbeatService } from './worker-heartbeat.service';

@Module({
  imports: [AppConfigModule, structuredLogger('worker'), PersistenceModule, TemporalClientModule, ActivitiesModule],
  providers: [TemporalWorkerService, NoticeWorkersService, WorkerHeartbeatService],
})
export class WorkerModule {}

import { Module } from '@nestjs/common';
import { StepContextService } from '../submissions/step-context';
import { StepContextRepository } from '../submissions/step-context.repository';
import { UnitsModule } from '../units/units.module';
import { TaskRepository } from './task.repository';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** The units' to-do portal (docs/PORTAL.md): the read side the console's unit pages need beyond submissions. */
@Module({
  imports: [UnitsModule],
  controllers: [TasksController],
  providers: [TasksService, StepContextService, StepContextRepository, TaskRepository],
})
export class PortalModule {}

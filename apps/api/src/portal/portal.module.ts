import { Module } from '@nestjs/common';
import { StepContextService } from '../submissions/step-context';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** The units' to-do portal (docs/PORTAL.md): the read side the console's unit pages need beyond submissions. */
@Module({ controllers: [TasksController], providers: [TasksService, StepContextService] })
export class PortalModule {}

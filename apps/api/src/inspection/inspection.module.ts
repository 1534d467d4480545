import { Module } from '@nestjs/common';
import { InspectionController } from './inspection.controller';
import { InspectionService } from './inspection.service';
import { UpdateRejectionRecorder } from './update-rejection.recorder';
import { WorkflowRunsReader } from './workflow-runs.reader';

@Module({ controllers: [InspectionController], providers: [InspectionService, WorkflowRunsReader, UpdateRejectionRecorder] })
export class InspectionModule {}

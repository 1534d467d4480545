import { Module } from '@nestjs/common';
import { CyclesModule } from '../cycles/cycles.module';
import { InspectionController } from './inspection.controller';
import { InspectionService } from './inspection.service';
import { UpdateRejectionRecorder } from './update-rejection.recorder';
import { UpdateRejectionRepository } from './update-rejection.repository';
import { WorkflowRunsReader } from './workflow-runs.reader';

@Module({
  imports: [CyclesModule],
  controllers: [InspectionController],
  providers: [InspectionService, WorkflowRunsReader, UpdateRejectionRecorder, UpdateRejectionRepository],
})
export class InspectionModule {}

import { Module } from '@nestjs/common';
import { CycleQueriesService } from './cycle-queries.service';
import { CycleStartService } from './cycle-start.service';
import { CycleSteeringController } from './cycle-steering.controller';
import { CycleSteeringService } from './cycle-steering.service';
import { CycleTemplateSource } from './cycle-template.source';
import { CyclesController } from './cycles.controller';
import { ProgressMatrixService } from './progress-matrix.service';
import { TemplatesModule } from '../templates/templates.module';

@Module({
  imports: [TemplatesModule],
  controllers: [CyclesController, CycleSteeringController],
  providers: [CycleTemplateSource, CycleStartService, CycleQueriesService, CycleSteeringService, ProgressMatrixService],
})
export class CyclesModule {}

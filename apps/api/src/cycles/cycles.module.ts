import { Module } from '@nestjs/common';
import { CycleQueriesService } from './cycle-queries.service';
import { CycleStartService } from './cycle-start.service';
import { CycleSteeringController } from './cycle-steering.controller';
import { CycleSteeringService } from './cycle-steering.service';
import { CycleTemplateSource } from './cycle-template.source';
import { CyclesController } from './cycles.controller';
import { ProgressExportController } from './progress-export.controller';
import { ProgressExportService } from './progress-export.service';
import { ProgressMatrixRepository } from './progress-matrix.repository';
import { ProgressMatrixService } from './progress-matrix.service';
import { UnitNoticesController } from './unit-notices.controller';
import { UnitNoticesService } from './unit-notices.service';
import { TemplatesModule } from '../templates/templates.module';

@Module({
  imports: [TemplatesModule],
  controllers: [CyclesController, CycleSteeringController, ProgressExportController, UnitNoticesController],
  providers: [CycleTemplateSource, CycleStartService, CycleQueriesService, CycleSteeringService, ProgressMatrixRepository, ProgressMatrixService, ProgressExportService, UnitNoticesService],
})
export class CyclesModule {}

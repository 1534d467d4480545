import { Module } from '@nestjs/common';
import { CycleQueriesService } from './cycle-queries.service';
import { CycleRepository } from './cycle.repository';
import { CycleStartService } from './cycle-start.service';
import { CycleSteeringController } from './cycle-steering.controller';
import { CycleSteeringRepository } from './cycle-steering.repository';
import { CycleSteeringService } from './cycle-steering.service';
import { CycleTemplateSource } from './cycle-template.source';
import { CyclesController } from './cycles.controller';
import { ProgressExportController } from './progress-export.controller';
import { ProgressExportService } from './progress-export.service';
import { ProgressMatrixRepository } from './progress-matrix.repository';
import { ProgressMatrixService } from './progress-matrix.service';
import { ReadModelRepository } from './read-model.repository';
import { UnitNoticeRepository } from './unit-notice.repository';
import { UnitNoticesController } from './unit-notices.controller';
import { UnitNoticesService } from './unit-notices.service';
import { TemplatesModule } from '../templates/templates.module';
import { UnitsModule } from '../units/units.module';

const CYCLE_REPOSITORIES = [CycleRepository, ReadModelRepository, UnitNoticeRepository];

/** Exports its repositories: inspection and bulletins read cycles, their units and the read model through them. */
@Module({
  imports: [TemplatesModule, UnitsModule],
  controllers: [CyclesController, CycleSteeringController, ProgressExportController, UnitNoticesController],
  providers: [
    CycleTemplateSource,
    CycleStartService,
    CycleQueriesService,
    CycleSteeringService,
    CycleSteeringRepository,
    ProgressMatrixRepository,
    ProgressMatrixService,
    ProgressExportService,
    UnitNoticesService,
    ...CYCLE_REPOSITORIES,
  ],
  exports: CYCLE_REPOSITORIES,
})
export class CyclesModule {}

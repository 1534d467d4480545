import { Module } from '@nestjs/common';
import { UnitImportRepository } from './import/unit-import.repository';
import { UnitImportService } from './import/unit-import.service';
import { UnitRepository } from './unit.repository';
import { UnitsController } from './units.controller';
import { UnitsService } from './units.service';

@Module({
  controllers: [UnitsController],
  providers: [UnitsService, UnitImportService, UnitRepository, UnitImportRepository],
  exports: [UnitsService, UnitRepository],
})
export class UnitsModule {}

import { Module } from '@nestjs/common';
import { CyclesModule } from '../cycles/cycles.module';
import { BulletinController, OverdueController } from './bulletin.controller';
import { BulletinRepository } from './bulletin.repository';
import { BulletinService } from './bulletin.service';

@Module({
  imports: [CyclesModule],
  controllers: [BulletinController, OverdueController],
  providers: [BulletinService, BulletinRepository],
})
export class BulletinModule {}

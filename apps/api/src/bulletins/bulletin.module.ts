import { Module } from '@nestjs/common';
import { BulletinController, OverdueController } from './bulletin.controller';
import { BulletinService } from './bulletin.service';

@Module({ controllers: [BulletinController, OverdueController], providers: [BulletinService] })
export class BulletinModule {}

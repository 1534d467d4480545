import { Module } from '@nestjs/common';
import { UnitsModule } from '../units/units.module';
import { InboxController } from './inbox.controller';
import { InboxRepository } from './inbox.repository';
import { InboxService } from './inbox.service';
import { OfficeInboxController } from './office-inbox.controller';

@Module({
  imports: [UnitsModule],
  controllers: [InboxController, OfficeInboxController],
  providers: [InboxService, InboxRepository],
})
export class InboxModule {}

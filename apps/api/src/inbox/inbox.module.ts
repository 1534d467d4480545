import { Module } from '@nestjs/common';
import { InboxController } from './inbox.controller';
import { InboxService } from './inbox.service';
import { OfficeInboxController } from './office-inbox.controller';

@Module({ controllers: [InboxController, OfficeInboxController], providers: [InboxService] })
export class InboxModule {}

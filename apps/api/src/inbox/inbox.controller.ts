import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited, Authorized, CurrentUser, type AuthUser } from '../auth';
import { InboxMessageDto, InboxPageDto, InboxQuery, UnreadCountDto } from './inbox.dto';
import { InboxService } from './inbox.service';

@ApiTags('inbox')
@Controller('units/:code/inbox')
@Authorized()
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({
    summary: "A unit's in-app notices (reminders, due notices, escalations), newest first, with the unread count",
  })
  @ApiOkResponse({ type: InboxPageDto })
  @ApiNotFoundResponse({ description: 'No unit with this code' })
  list(@CurrentUser() user: AuthUser, @Param('code') code: string, @Query() q: InboxQuery) {
    return this.inbox.list(user, code, q);
  }

  @Get('unread-count')
  @ApiOperation({ summary: "Number of unread messages in a unit's inbox" })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    return this.inbox.unreadCount(user, code);
  }

  @Post(':id/read')
  @HttpCode(200)
  @Audited('inbox.read', { entity: 'inbox_message', recordResponse: false })
  @ApiOperation({ summary: 'Mark one inbox message read (idempotent: keeps the first read time)' })
  @ApiOkResponse({ type: InboxMessageDto })
  @ApiNotFoundResponse({ description: 'No such message in this unit’s inbox' })
  markRead(@CurrentUser() user: AuthUser, @Param('code') code: string, @Param('id') id: string) {
    return this.inbox.markRead(user, code, id);
  }
}

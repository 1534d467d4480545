import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited, Authorized } from '../auth';
import { InboxMessageDto, InboxPageDto, InboxQuery, UnreadCountDto } from './inbox.dto';
import { InboxService } from './inbox.service';

/**
 * The office's own in-app inbox: office notices (escalations to the office) of a unit tree without a unit of kind
 * office. With an office unit, they go to that unit's inbox (`/api/units/:code/inbox`) instead.
 */
@ApiTags('inbox')
@Controller('office/inbox')
@Authorized('office_admin', 'office_reviewer', 'auditor')
export class OfficeInboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({
    summary: "The office's own in-app notices (trees without an office unit), newest first, with the unread count",
  })
  @ApiOkResponse({ type: InboxPageDto })
  list(@Query() q: InboxQuery) {
    return this.inbox.officePage(q);
  }

  @Get('unread-count')
  @ApiOperation({ summary: "Number of unread messages in the office's own inbox" })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadCount() {
    return this.inbox.officeUnreadCount();
  }

  @Post(':id/read')
  @HttpCode(200)
  @Authorized('office_admin', 'office_reviewer')
  @Audited('inbox.read', { entity: 'inbox_message', recordResponse: false })
  @ApiOperation({ summary: "Mark one message of the office's inbox read (idempotent: keeps the first read time)" })
  @ApiOkResponse({ type: InboxMessageDto })
  @ApiNotFoundResponse({ description: "No such message in the office's inbox" })
  markRead(@Param('id') id: string) {
    return this.inbox.officeMarkRead(id);
  }
}

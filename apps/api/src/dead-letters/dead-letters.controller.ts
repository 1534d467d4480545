import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Audited, Authorized } from '../auth';
import { DeadLetterDto, DeadLetterQuery, RetryQueuedDto } from './dead-letters.dto';
import { DeadLettersService } from './dead-letters.service';

@ApiTags('admin')
@Controller('admin/dead-letters')
@Authorized('office_admin')
export class DeadLettersController {
  constructor(private readonly deadLetters: DeadLettersService) {}

  @Get()
  @ApiOperation({ summary: 'Notice deliveries that failed for good (e.g. SMTP 550), newest first, with their error' })
  @ApiOkResponse({ type: [DeadLetterDto] })
  list(@Query() q: DeadLetterQuery) {
    return this.deadLetters.list(q);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @Audited('notice_delivery.retry')
  @ApiOperation({
    summary:
      "Send a dead delivery again (after fixing the address or the robot): back to pending, sent by its channel's outbox dispatcher",
  })
  @ApiAcceptedResponse({ type: RetryQueuedDto })
  @ApiNotFoundResponse({ description: 'No such delivery' })
  @ApiConflictResponse({ description: 'The delivery is not dead (sent, pending or muted)' })
  retry(@Param('id') id: string) {
    return this.deadLetters.retry(id);
  }
}

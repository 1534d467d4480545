import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized, CurrentUser } from '../auth/authorized.decorator';
import type { AuthUser } from '../auth/roles';
import { TaskDetailDto, TaskListDto, TasksQuery } from './tasks.dto';
import { TasksService } from './tasks.service';

/** The units' portal: what the signed-in unit (a secretary: also the units below) has to hand in, and when. */
@ApiTags('portal')
@Controller('portal/tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  @Get()
  @Authorized()
  @ApiOperation({
    summary:
      'My tasks: steps of the readable units in running cycles — overdue, returned, due soon, open, submitted, upcoming — with days left',
  })
  @ApiOkResponse({ type: TaskListDto })
  list(@Query() q: TasksQuery, @CurrentUser() user: AuthUser) {
    return this.tasks.list(q, user);
  }

  @Get(':cycleId/:unit/:stepKey')
  @Authorized()
  @ApiOperation({
    summary:
      'One step of one unit (unit id or code) with its deliverables, the submission, the latest return comment and the upload rules',
  })
  @ApiOkResponse({ type: TaskDetailDto })
  @ApiNotFoundResponse({ description: 'No such unit, or the step is not in the unit’s plan' })
  detail(
    @Param('cycleId', ParseUUIDPipe) cycleId: string,
    @Param('unit') unit: string,
    @Param('stepKey') stepKey: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.tasks.detail(cycleId, unit, stepKey, user);
  }
}

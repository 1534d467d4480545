import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized, CurrentUser } from '../auth/authorized.decorator';
import type { AuthUser } from '../auth/roles';
import { PublishedPlansService } from './published-plans.service';
import { PublishedPlanDto, UnitRectificationDto } from './rectification.dto';
import { UnitRectificationService } from './unit-rectification.service';

/** Rectification plans (整改落实方案): published plans of a cycle, and one unit's items carried to completion. */
@ApiTags('rectification')
@Controller('cycles/:cycleId')
export class RectificationController {
  constructor(
    private readonly published: PublishedPlansService,
    private readonly unitItems: UnitRectificationService,
  ) {}

  @Get('published-plans')
  @Authorized()
  @ApiOperation({
    summary:
      'Accepted rectification plans the template publishes (方案要公布): readable by every unit of the cycle, the office and auditors',
  })
  @ApiOkResponse({ type: [PublishedPlanDto] })
  @ApiForbiddenResponse({ description: 'The caller’s unit takes no part in the cycle' })
  @ApiNotFoundResponse({ description: 'Unknown cycle' })
  list(@Param('cycleId', ParseUUIDPipe) cycleId: string, @CurrentUser() user: AuthUser) {
    return this.published.list(cycleId, user);
  }

  @Get('published-plans/:unitId')
  @Authorized()
  @ApiOperation({
    summary: 'One unit’s published plan(s); 404 while not accepted or when the template does not publish it',
  })
  @ApiOkResponse({ type: [PublishedPlanDto] })
  @ApiForbiddenResponse({ description: 'The caller’s unit takes no part in the cycle' })
  @ApiNotFoundResponse({ description: 'No published plan of that unit' })
  ofUnit(
    @Param('cycleId', ParseUUIDPipe) cycleId: string,
    @Param('unitId', ParseUUIDPipe) unitId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.published.ofUnit(cycleId, unitId, user);
  }

  @Get('units/:unitId/rectification-items')
  @Authorized()
  @ApiOperation({
    summary:
      'A unit’s rectification items with status, due instant and escalation, and the roll-up (open / overdue / completed / waived)',
  })
  @ApiOkResponse({ type: UnitRectificationDto })
  @ApiNotFoundResponse({ description: 'The unit takes no part in the cycle' })
  items(
    @Param('cycleId', ParseUUIDPipe) cycleId: string,
    @Param('unitId', ParseUUIDPipe) unitId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.unitItems.get(cycleId, unitId, user);
  }
}

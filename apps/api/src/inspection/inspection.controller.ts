import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Authorized, CurrentUser } from '../auth/authorized.decorator';
import type { AuthUser } from '../auth/roles';
import { TimelineDto, TimelineQuery, WhyDto, WhyQuery } from './inspection.dto';
import { InspectionService } from './inspection.service';

/** What happened to one unit in one cycle, and why — in plain words, down to the Temporal events. `:unit` is an id or code. */
@ApiTags('inspection')
@ApiNotFoundResponse({ description: 'Unknown cycle, or the unit is not in it.' })
@Controller('cycles/:id/units/:unit')
export class InspectionController {
  constructor(private readonly inspection: InspectionService) {}

  @Get('timeline')
  @Authorized('office_admin', 'auditor', 'unit_secretary')
  @ApiOperation({
    summary:
      'One chronological list: read-model history + the unit workflow’s Temporal history (all runs) + refused updates, in plain zh/en',
    description:
      'Office admins and auditors: any unit. A unit secretary: only their own unit (403 otherwise). Each entry links to the Temporal Web UI page of its run.',
  })
  @ApiOkResponse({ type: TimelineDto })
  @ApiServiceUnavailableResponse({ description: 'Temporal did not answer.' })
  timeline(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unit') unit: string,
    @Query() q: TimelineQuery,
    @CurrentUser() user: AuthUser,
  ) {
    return this.inspection.timeline(user, id, unit, q.detail);
  }

  @Get('why')
  @Authorized()
  @ApiOperation({
    summary:
      '“Why is this step in this state?” from the read model: since when, due, extensions, overdue days, escalations, bulletin',
  })
  @ApiOkResponse({ type: WhyDto })
  @ApiBadRequestResponse({ description: 'stepKey missing, or no such step for this unit.' })
  why(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unit') unit: string,
    @Query() q: WhyQuery,
    @CurrentUser() user: AuthUser,
  ) {
    return this.inspection.why(user, id, unit, q.stepKey, q.asOf ? Date.parse(q.asOf) : undefined);
  }
}

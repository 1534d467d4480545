import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { Authorized, CurrentUser } from '../auth/authorized.decorator';
import type { AuthUser } from '../auth/roles';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { AttendanceEntryDto, AttendanceSummaryDto, LogAttendanceDto } from './attendance.dto';
import { AttendanceService } from './attendance.service';

/** 党员集中活动时间: a unit logs its members' concentrated activity hours; its parent, the office and auditors read. */
@ApiTags('attendance')
@Controller('cycles/:cycleId/units/:unitId/attendance')
export class AttendanceController {
  constructor(private readonly attendance: AttendanceService) {}

  @Post()
  @Authorized('unit_secretary', 'unit_submitter')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary: 'Log one concentrated activity of the unit’s members (own unit only): date, hours, members, title, note',
  })
  @ApiCreatedResponse({ type: AttendanceEntryDto })
  @ApiBadRequestResponse({ description: 'Every bad field named in details; nothing written' })
  @ApiForbiddenResponse({ description: 'Not the caller’s own unit' })
  @ApiNotFoundResponse({ description: 'The unit takes no part in the cycle' })
  log(
    @Param('cycleId', ParseUUIDPipe) cycleId: string,
    @Param('unitId', ParseUUIDPipe) unitId: string,
    @Body() dto: LogAttendanceDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.attendance.log(cycleId, unitId, dto, { user, ip: clientIp(req), key });
  }

  @Get()
  @Authorized()
  @ApiOperation({
    summary:
      'The unit’s entries, total hours, the template minimum and the checks made at stage close (unit, parent secretary, office, auditor)',
  })
  @ApiOkResponse({ type: AttendanceSummaryDto })
  @ApiNotFoundResponse({ description: 'The unit takes no part in the cycle' })
  summary(
    @Param('cycleId', ParseUUIDPipe) cycleId: string,
    @Param('unitId', ParseUUIDPipe) unitId: string,
    @CurrentUser() user: AuthUser,
  ) {
    return this.attendance.summary(cycleId, unitId, user);
  }
}

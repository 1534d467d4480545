import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authorized, CurrentUser, type AuthUser } from '../auth';
import { UnitNoticeDto } from './dto/unit-notices.dto';
import { UnitNoticesService } from './unit-notices.service';

@ApiTags('cycles')
@Controller('cycles/:id/units/:unit/notices')
export class UnitNoticesController {
  constructor(private readonly notices: UnitNoticesService) {}

  @Get()
  @Authorized('office_admin', 'office_reviewer', 'auditor', 'unit_secretary')
  @ApiOperation({
    summary:
      'Reminders, due notices and escalations of one unit (id or code), oldest first, each with its deliveries: channel, recipient by name, sent, read',
    description:
      'The office and auditors: any unit; a secretary: units of their subtree (403 otherwise). Addresses are not shown.',
  })
  @ApiOkResponse({ type: [UnitNoticeDto] })
  @ApiNotFoundResponse({ description: 'Unknown cycle, or the unit is not in it.' })
  list(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Param('unit') unit: string) {
    return this.notices.list(user, id, unit);
  }
}

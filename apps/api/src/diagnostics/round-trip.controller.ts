import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited, Authorized } from '../auth';
import { StartRoundTripDto } from './round-trip.dto';
import { RoundTripService } from './round-trip.service';

@ApiTags('diagnostics')
@Controller('diagnostics/round-trips')
export class RoundTripController {
  constructor(private readonly roundTrips: RoundTripService) {}

  @Post()
  @HttpCode(202)
  @Authorized('office_admin')
  @Audited('diagnostics.round_trip', { entity: 'round_trip' })
  @ApiOperation({ summary: 'Start a workflow that sleeps, then writes a row through an activity' })
  start(@Body() dto: StartRoundTripDto) {
    return this.roundTrips.start(dto);
  }

  @Get(':id')
  @Authorized('office_admin', 'office_reviewer', 'auditor')
  @ApiOperation({ summary: 'Read the row the round-trip workflow wrote (404 until it has)' })
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.roundTrips.get(id);
  }
}

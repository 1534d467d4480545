import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { DateTime } from 'luxon';
import { DomainError } from '../../../../libs/domain/src';
import { specialDays } from '../../../../libs/domain/src/calendar';
import { Authorized } from '../auth';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A timeline spans a campaign (the 2009 one: about 18 months); more than this is a mistake, not a timeline. */
const MAX_DAYS = 1100;

export class SpecialDaysQuery {
  @ApiProperty({ example: '2026-09-01' }) @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) from: string;
  @ApiProperty({ example: '2026-12-31' }) @Matches(DATE, { message: 'must be a date YYYY-MM-DD' }) to: string;
}

export class SpecialDayDto {
  @ApiProperty({ example: '2026-10-01' }) date: string;
  @ApiProperty({
    enum: ['holiday', 'makeup_workday'],
    description: 'holiday: 放假; makeup_workday: a weekend that is a working day (调休上班)',
  })
  kind: 'holiday' | 'makeup_workday';
  @ApiProperty({ example: '国庆节' }) name: string;
}

@ApiTags('calendar')
@Controller('calendar')
export class CalendarController {
  @Get('special-days')
  @Authorized()
  @ApiOperation({
    summary:
      'Public holidays and 调休 workdays between two dates (mainland China), for marking timelines; plain weekends are not listed',
  })
  @ApiOkResponse({ type: [SpecialDayDto] })
  @ApiBadRequestResponse({ description: 'Bad dates, `to` before `from`, or more than 1,100 days' })
  specialDays(@Query() q: SpecialDaysQuery): SpecialDayDto[] {
    const days = DateTime.fromISO(q.to).diff(DateTime.fromISO(q.from), 'days').days;
    if (!(days >= 0)) throw DomainError.validation('bad range', [{ field: 'to', problem: 'must be on or after from' }]);
    if (days > MAX_DAYS)
      throw DomainError.validation('range too long', [{ field: 'to', problem: `at most ${MAX_DAYS} days after from` }]);
    return specialDays(q.from, q.to);
  }
}

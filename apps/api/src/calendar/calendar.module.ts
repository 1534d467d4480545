import { Module } from '@nestjs/common';
import { CalendarController } from './calendar.controller';

/** The working-day calendar the deadlines are rolled with, readable by the console's timelines. */
@Module({ controllers: [CalendarController] })
export class CalendarModule {}

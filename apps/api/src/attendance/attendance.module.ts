import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { AttendanceController } from './attendance.controller';
import { AttendanceService } from './attendance.service';

@Module({ imports: [IdempotencyModule], controllers: [AttendanceController], providers: [AttendanceService] })
export class AttendanceModule {}

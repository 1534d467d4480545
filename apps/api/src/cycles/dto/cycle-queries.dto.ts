import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches } from 'class-validator';
import { ISO_DATE_TIME } from './start-cycle.dto';

export class ListCyclesQuery {
  @ApiPropertyOptional({ enum: ['starting', 'running', 'paused', 'cancelled', 'completed'] })
  @IsOptional() @IsIn(['starting', 'running', 'paused', 'cancelled', 'completed'])
  status?: string;
}

export class ProgressQuery {
  @ApiPropertyOptional({ description: 'Evaluate "overdue" at this instant instead of now (ISO date-time with offset).' })
  @IsOptional() @IsString() @Matches(ISO_DATE_TIME, { message: 'must be an ISO date-time with offset' })
  asOf?: string;
}

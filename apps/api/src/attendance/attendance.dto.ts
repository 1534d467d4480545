import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsInt,
  IsISO8601,
  IsNumber,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
} from 'class-validator';

/** One concentrated activity of the unit's members (党员集中活动), counted towards the template's minimum hours. */
export class LogAttendanceDto {
  @ApiProperty({ example: '2027-06-18', description: 'Day of the activity (YYYY-MM-DD, in the cycle’s time zone)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'is not a valid date' })
  date: string;

  @ApiProperty({ example: 3.5, description: 'Hours of the activity (more than 0, at most 24; quarter hours are fine)' })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: 'must be a number of hours' })
  @Min(0.25, { message: 'must be at least 0.25 hours' })
  @Max(24, { message: 'must be at most 24 hours (one activity, one day)' })
  hours: number;

  @ApiProperty({ example: 31, description: 'Members who took part' })
  @IsInt({ message: 'must be a whole number of members' })
  @Min(1, { message: 'must be at least 1' })
  @Max(100_000)
  members: number;

  @ApiProperty({ example: '专题党课：学习实践科学发展观' })
  @IsString()
  @MinLength(1, { message: 'must not be empty' })
  @MaxLength(200)
  title: string;

  @ApiPropertyOptional({ example: '书记主讲，党员交流发言 6 人' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class AttendanceEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: '2027-06-18' }) date: string;
  @ApiProperty() hours: number;
  @ApiProperty() members: number;
  @ApiProperty() title: string;
  @ApiPropertyOptional({ nullable: true }) note: string | null;
  @ApiProperty() recordedBy: string;
  @ApiProperty() createdAt: string;
}

export class AttendanceCheckDto {
  @ApiProperty({ example: 'rectification' }) stageKey: string;
  @ApiProperty() hours: number;
  @ApiProperty() minHours: number;
  @ApiProperty() met: boolean;
  @ApiProperty({ description: 'The stage close the check stands for' }) checkedAt: string;
}

export class AttendanceSummaryDto {
  @ApiProperty({ type: [AttendanceEntryDto] }) entries: AttendanceEntryDto[];
  @ApiProperty({ description: 'Sum of the hours logged so far' }) totalHours: number;
  @ApiPropertyOptional({
    nullable: true,
    description: 'The template’s minimum (attendance_hours minHours), null if it sets none',
  })
  minHours: number | null;
  @ApiPropertyOptional({ nullable: true, description: 'totalHours ≥ minHours so far (null without a minimum)' })
  metSoFar: boolean | null;
  @ApiProperty({
    type: [AttendanceCheckDto],
    description: 'Checks the unit workflow made when a stage closed: the flag that counts',
  })
  checks: AttendanceCheckDto[];
}

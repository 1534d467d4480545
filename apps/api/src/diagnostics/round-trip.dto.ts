import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';

export class StartRoundTripDto {
  @ApiProperty({ example: 'hello', description: 'Stored as-is in the row the workflow writes.' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  message: string;

  @ApiProperty({ example: 2, description: 'Seconds the workflow sleeps (durable timer) before writing the row.' })
  @IsInt()
  @Min(0)
  @Max(86_400)
  delaySeconds: number;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class PlanItemDto {
  @ApiProperty({ example: 1 }) no: number;
  @ApiProperty() goal: string;
  @ApiProperty() project: string;
  @ApiProperty({ example: '2027-07-15', description: 'Time limit (时限), a local date' }) deadline: string;
  @ApiProperty() measures: string;
  @ApiProperty({ description: 'Leader / department responsible' }) responsible: string;
}

export class PublishedPlanDto {
  @ApiProperty() unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty({ example: 'rectification-plan' }) stepKey: string;
  @ApiProperty() deliverableKey: string;
  @ApiProperty() version: number;
  @ApiProperty() acceptedAt: string;
  @ApiPropertyOptional({ nullable: true }) text: string | null;
  @ApiProperty({ type: [PlanItemDto] }) items: PlanItemDto[];
}

export class ItemProgressDto extends PlanItemDto {
  @ApiProperty({
    example: 'rectification-plan#item-1',
    description: 'The item’s step key: submit completion evidence to it like any step',
  })
  stepKey: string;
  @ApiProperty({
    example: 'open',
    description: 'The unit workflow’s step status (pending until the workflow records it)',
  })
  status: string;
  @ApiProperty({ description: 'Due instant (end of the deadline day in the plan’s zone; moved by extensions)' }) dueAt:
    string | null;
  @ApiProperty({ description: 'Highest escalation rung reached + 1 (0: none)' }) escalationLevel: number;
  @ApiPropertyOptional({ nullable: true }) acceptedAt: string | null;
}

export class ItemCountsDto {
  @ApiProperty() total: number;
  @ApiProperty({ description: 'Waiting for the unit or for review, deadline not passed' }) open: number;
  @ApiProperty({ description: 'Waiting for the unit or for review, deadline passed' }) overdue: number;
  @ApiProperty() completed: number;
  @ApiProperty() waived: number;
}

export class UnitRectificationDto {
  @ApiProperty({ type: [ItemProgressDto] }) items: ItemProgressDto[];
  @ApiProperty({
    type: ItemCountsDto,
    description: 'From the unit workflow (its clock); from the read model if the workflow cannot be asked',
  })
  counts: ItemCountsDto;
}

import { ApiProperty } from '@nestjs/swagger';
import { CYCLE_UNIT_STATUSES, STEP_STATUSES } from '../../../../../libs/domain/src/campaign';

/** One step of a unit as the read model holds it (unit_step_status). */
export class UnitStepDto {
  @ApiProperty() stepKey: string;
  @ApiProperty() stageKey: string;
  @ApiProperty() title: string;
  @ApiProperty() required: boolean;
  @ApiProperty({ enum: [...STEP_STATUSES] }) status: string;
  @ApiProperty({ type: String, format: 'date-time' }) opensAt: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'Current due instant (after extensions)' })
  dueAt: string;
  @ApiProperty({ type: String, format: 'date-time', description: 'Due instant of the plan, before any extension' })
  originalDueAt: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) openedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) submittedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) returnedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) acceptedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) waivedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) lastSubmissionId: string | null;
  @ApiProperty({ description: '0 none; 1 the unit’s due notice; 2+ escalation rungs climbed + 1' })
  escalationLevel: number;
  @ApiProperty() onBulletin: boolean;
  @ApiProperty({ type: String, format: 'date-time' }) updatedAt: string;
}

/** One entry of the unit's history in plain words (unit_event). */
export class UnitHistoryEventDto {
  @ApiProperty() seq: number;
  @ApiProperty({ type: String, format: 'date-time' }) at: string;
  @ApiProperty() kind: string;
  @ApiProperty({ nullable: true, type: String }) stageKey: string | null;
  @ApiProperty({ nullable: true, type: String }) stepKey: string | null;
  @ApiProperty() actor: string;
  @ApiProperty() summary: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail: Record<string, unknown>;
  @ApiProperty({ nullable: true, type: String }) workflowRunId: string | null;
}

export class UnitWorkflowRefDto {
  @ApiProperty() workflowId: string;
  @ApiProperty({ nullable: true, type: String }) runId: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'RUNNING' }) status: string | null;
  @ApiProperty() namespace: string;
  @ApiProperty({ nullable: true, type: String, description: 'Path of the run in the Temporal Web UI' }) temporalUiPath:
    string | null;
}

/** GET /api/cycles/:id/units/:unit — the unit in the cycle, its steps, its history and where its workflow lives. */
export class UnitDetailDto {
  @ApiProperty({ format: 'uuid' }) cycleId: string;
  @ApiProperty({ format: 'uuid' }) unitId: string;
  @ApiProperty() unitCode: string;
  @ApiProperty() unitName: string;
  @ApiProperty() unitKind: string;
  @ApiProperty() ordinal: number;
  @ApiProperty({ enum: [...CYCLE_UNIT_STATUSES] }) status: string;
  @ApiProperty({ nullable: true, type: String }) currentStage: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) completedAt: string | null;
  @ApiProperty() workflowId: string;
  @ApiProperty({ type: [UnitStepDto] }) steps: UnitStepDto[];
  @ApiProperty({ type: [UnitHistoryEventDto] }) history: UnitHistoryEventDto[];
  @ApiProperty({ type: UnitWorkflowRefDto }) workflow: UnitWorkflowRefDto;
}

import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { Audited, Authorized } from '../auth';
import { Actor } from '../common/actor';
import { CycleSteeringService } from './cycle-steering.service';
import { ControlDto, ExtendDto, ReviewDto, SubmitDto, WaiveDto } from './dto/steering.dto';

/**
 * Steering a running cycle. `:unit` is a unit id or code. 409 carries the workflow's reason for a refusal.
 * Deadlines (extend, waive): the office, reviewers included — granting more time is part of reviewing. Pause, resume,
 * cancel and the drive endpoints: office_admin only. Every call is in the audit log (entity cycle, id = cycle id).
 */
@ApiTags('cycles')
@ApiNotFoundResponse({ description: 'Unknown cycle, or the unit is not in it.' })
@ApiConflictResponse({
  description:
    'The workflow refused — `code` is the reason: STEP_NOT_OPEN, ALREADY_DECIDED, NOT_AWAITING_REVIEW, … — or the cycle is in the wrong state.',
})
@ApiServiceUnavailableResponse({
  description:
    'WORKFLOW_UNAVAILABLE: Temporal unreachable or past WORKFLOW_UPDATE_TIMEOUT; retry after Retry-After seconds.',
})
@Controller('cycles/:id')
export class CycleSteeringController {
  constructor(private readonly steering: CycleSteeringService) {}

  @Post('units/:unit/extend')
  @HttpCode(200)
  @Authorized('office_admin', 'office_reviewer')
  @Audited('cycle.extend_unit', { entity: 'cycle' })
  @ApiOperation({
    summary: 'Move one unit’s due date for a step; reminders are recomputed. Returns the step as the workflow sees it.',
  })
  extend(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unit') unit: string,
    @Body() dto: ExtendDto,
    @Actor() actor: string,
  ) {
    return this.steering.extendUnit(id, unit, dto, actor);
  }

  @Post('extend')
  @HttpCode(202)
  @Authorized('office_admin', 'office_reviewer')
  @Audited('cycle.extend_all', { entity: 'cycle' })
  @ApiOperation({ summary: 'Move a step’s due date for every unit of the cycle (fanned out by the cycle workflow)' })
  @ApiBadRequestResponse({ description: 'No such step in the cycle’s plans, or a bad date.' })
  extendAll(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ExtendDto, @Actor() actor: string) {
    return this.steering.extendAll(id, dto, actor);
  }

  @Post('units/:unit/waive')
  @HttpCode(200)
  @Authorized('office_admin', 'office_reviewer')
  @Audited('cycle.waive', { entity: 'cycle' })
  @ApiOperation({ summary: 'Excuse one unit from a required step: it no longer gates its stage' })
  waive(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unit') unit: string,
    @Body() dto: WaiveDto,
    @Actor() actor: string,
  ) {
    return this.steering.waive(id, unit, dto, actor);
  }

  @Post('units/:unit/steps/:stepKey/submit')
  @HttpCode(200)
  @Authorized('office_admin')
  @Audited('cycle.drive_submit', { entity: 'cycle' })
  @ApiOperation({
    summary: 'Office drive tool: record a submission for a step directly in the workflow',
    description:
      'Bypasses the submissions feature (no deliverable checks, no stored content): for the office to drive a unit past a step (e.g. a paper submission). Units submit through POST /api/submissions/:id/submit.',
  })
  submit(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unit') unit: string,
    @Param('stepKey') stepKey: string,
    @Body() dto: SubmitDto,
    @Actor() actor: string,
  ) {
    return this.steering.submit(id, unit, stepKey, dto, actor);
  }

  @Post('units/:unit/steps/:stepKey/review')
  @HttpCode(200)
  @Authorized('office_admin')
  @Audited('cycle.drive_review', { entity: 'cycle' })
  @ApiOperation({
    summary: 'Office drive tool: accept or return the step’s latest (or the given) submission directly in the workflow',
    description:
      'Bypasses the submissions feature’s review records; reviewers use POST /api/submissions/:id/versions/:version/review.',
  })
  review(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('unit') unit: string,
    @Param('stepKey') stepKey: string,
    @Body() dto: ReviewDto,
    @Actor() actor: string,
  ) {
    return this.steering.review(id, unit, stepKey, dto, actor);
  }

  @Post('pause')
  @HttpCode(200)
  @Authorized('office_admin')
  @Audited('cycle.pause', { entity: 'cycle' })
  @ApiOperation({ summary: 'Pause the cycle: every unit’s timers and notices stop until resumed' })
  pause(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ControlDto, @Actor() actor: string) {
    return this.steering.control(id, 'pause', dto, actor);
  }

  @Post('resume')
  @HttpCode(200)
  @Authorized('office_admin')
  @Audited('cycle.resume', { entity: 'cycle' })
  @ApiOperation({ summary: 'Resume a paused cycle' })
  resume(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ControlDto, @Actor() actor: string) {
    return this.steering.control(id, 'resume', dto, actor);
  }

  @Post('cancel')
  @HttpCode(200)
  @Authorized('office_admin')
  @Audited('cycle.cancel', { entity: 'cycle' })
  @ApiOperation({ summary: 'Cancel the cycle for every unit' })
  cancel(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ControlDto, @Actor() actor: string) {
    return this.steering.control(id, 'cancel', dto, actor);
  }
}

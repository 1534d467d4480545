import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { Authorized, CurrentUser } from '../auth/authorized.decorator';
import type { AuthUser } from '../auth/roles';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { CreateCommitmentDto, CreateLeaderReviewDto, ListCommitmentsQuery } from './commitment.dto';
import { CommitmentViewDto } from './commitment-view.dto';
import { CommitmentsService } from './commitments.service';

/**
 * Public commitments (公开承诺) with staged goals, and the half-yearly leader reviews (领导点评) that check their
 * fulfilment (践诺). Writes append audit_log rows (commitment.create, commitment.review) in their own transaction.
 */
@ApiTags('commitments')
@Controller('commitments')
export class CommitmentsController {
  constructor(private readonly commitments: CommitmentsService) {}

  @Post()
  @Authorized('unit_secretary', 'unit_submitter')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary:
      'A unit records its annual public commitment for a cycle, with staged goals (its own unit only; one per cycle)',
  })
  @ApiCreatedResponse({ type: CommitmentViewDto })
  @ApiBadRequestResponse({
    description: 'Every bad field named (goals[i].targetDate, unitId not in the cycle, …); nothing written.',
  })
  @ApiConflictResponse({
    description:
      'The unit already has a commitment for this cycle, or the Idempotency-Key was used for another request.',
  })
  create(
    @Body() dto: CreateCommitmentDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.commitments.create(dto, { user, ip: clientIp(req), key });
  }

  @Post(':id/reviews')
  @Authorized('office_admin', 'office_reviewer')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary:
      'Record a leader’s half-yearly review of the commitment: strengths, shortcomings, direction, and every goal assessed (fulfilled / partly / not yet)',
  })
  @ApiCreatedResponse({
    type: CommitmentViewDto,
    description: 'The commitment with all its reviews and the fulfilment summary',
  })
  @ApiBadRequestResponse({
    description: 'Bad period or date, unknown/duplicate/missing goal assessments (named); nothing written.',
  })
  @ApiConflictResponse({ description: 'A review for this half-year exists already.' })
  @ApiNotFoundResponse()
  review(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: CreateLeaderReviewDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.commitments.review(id, dto, { user, ip: clientIp(req), key });
  }

  @Get(':id')
  @Authorized()
  @ApiOperation({
    summary:
      'One commitment with its goals, leader reviews and fulfilment summary (the unit, secretaries above it, the office, auditors)',
  })
  @ApiOkResponse({ type: CommitmentViewDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser) {
    return this.commitments.get(id, user);
  }

  @Get()
  @Authorized()
  @ApiOperation({ summary: 'Commitments readable by the caller, optionally of one cycle or unit (at most 500)' })
  @ApiOkResponse({ type: CommitmentViewDto, isArray: true })
  list(@Query() q: ListCommitmentsQuery, @CurrentUser() user: AuthUser) {
    return this.commitments.list(q, user);
  }
}

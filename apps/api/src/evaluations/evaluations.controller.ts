import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { Authorized, CurrentUser, Public } from '../auth/authorized.decorator';
import type { AuthUser } from '../auth/roles';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import {
  CreateEvaluationDto,
  IssueTokensDto,
  RemindDto,
  RespondDto,
  ResultsQuery,
  TokenQueryDto,
} from './evaluation.dto';
import {
  EvaluationPendingDto,
  EvaluationResultsDto,
  EvaluationSummaryDto,
  EvaluationViewDto,
  ReminderResultDto,
  RespondResultDto,
  TokenBatchDto,
  TokenFormDto,
} from './evaluation-view.dto';
import { EvaluationsService } from './evaluations.service';

const caller = (user: AuthUser, req: Request) => ({ user, ip: clientIp(req) });

/** 评议 / 三测评 / 满意度测评: the office opens a form and issues one-time tokens; respondents answer with a token only. */
@ApiTags('evaluations')
@Controller('evaluations')
export class EvaluationsController {
  constructor(private readonly evaluations: EvaluationsService) {}

  @Post()
  @Authorized('office_admin')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Open an evaluation with its form (scale, choice and text questions) and answer window' })
  @ApiCreatedResponse({ type: EvaluationViewDto })
  create(
    @Body() dto: CreateEvaluationDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.evaluations.create(dto, caller(user, req), key);
  }

  @Get()
  @Authorized()
  @ApiOperation({
    summary: 'Evaluations, newest first, with tokens issued and used (a unit account counts its readable units only)',
  })
  @ApiOkResponse({ type: [EvaluationSummaryDto] })
  list(@CurrentUser() user: AuthUser) {
    return this.evaluations.list(user);
  }

  @Get(':id/pending')
  @Authorized('office_admin', 'office_reviewer', 'auditor')
  @ApiOperation({
    summary:
      'Who has not answered yet: per unit, unused tokens and the named recipients of unused tokens (never who answered what)',
  })
  @ApiOkResponse({ type: EvaluationPendingDto })
  pending(@Param('id', ParseUUIDPipe) id: string) {
    return this.evaluations.pending(id);
  }

  @Post('responses')
  @Public()
  @ApiOperation({ summary: 'Answer anonymously with a one-time token (no account). Used token or closed window → 409' })
  @ApiCreatedResponse({ type: RespondResultDto })
  @ApiUnauthorizedResponse({ description: 'Unknown token' })
  @ApiConflictResponse({ description: 'Token already used, or the evaluation is not open' })
  respond(@Body() dto: RespondDto) {
    return this.evaluations.respond(dto);
  }

  @Post('form')
  @HttpCode(200)
  @Public()
  @ApiOperation({
    summary: 'The form a one-time token opens (no account), or whether the token was used or the window is closed',
  })
  @ApiOkResponse({ type: TokenFormDto })
  @ApiUnauthorizedResponse({ description: 'Unknown token' })
  form(@Body() dto: TokenQueryDto) {
    return this.evaluations.formForToken(dto.token);
  }

  @Post(':id/tokens')
  @Authorized('office_admin')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Issue one-time tokens for a unit; the plaintext tokens are in this response only' })
  @ApiCreatedResponse({ type: TokenBatchDto })
  issue(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: IssueTokensDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.evaluations.issueTokens(id, dto, caller(user, req), key);
  }

  @Post(':id/reminders')
  @Authorized('office_admin')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary:
      'Remind units with unused tokens through the notice channels: e-mail to named recipients, inbox to the unit (no one learns who answered what)',
  })
  @ApiCreatedResponse({ type: ReminderResultDto })
  @ApiConflictResponse({ description: 'The evaluation is closed' })
  @ApiServiceUnavailableResponse({
    description: 'Recorded, but Temporal did not start the deliveries; repeat with the same Idempotency-Key',
  })
  remind(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: RemindDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.evaluations.remind(id, dto.unitId, caller(user, req), key);
  }

  @Get(':id/results')
  @Authorized()
  @ApiOperation({ summary: 'Per unit: issued, responded, and per question mean, distribution and satisfaction rate' })
  @ApiOkResponse({ type: EvaluationResultsDto })
  results(@Param('id', ParseUUIDPipe) id: string, @Query() q: ResultsQuery, @CurrentUser() user: AuthUser) {
    return this.evaluations.results(id, q.unitId, user);
  }
}

import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { Authorized, CurrentUser, Public } from '../auth/authorized.decorator';
import type { AuthUser } from '../auth/roles';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { CreateEvaluationDto, IssueTokensDto, RemindDto, RespondDto, ResultsQuery } from './evaluation.dto';
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
  create(@Body() dto: CreateEvaluationDto, @CurrentUser() user: AuthUser, @Req() req: Request, @IdempotencyKey() key: string) {
    return this.evaluations.create(dto, caller(user, req), key);
  }

  @Post('responses')
  @Public()
  @ApiOperation({ summary: 'Answer anonymously with a one-time token (no account). Used token or closed window → 409' })
  respond(@Body() dto: RespondDto) {
    return this.evaluations.respond(dto);
  }

  @Post(':id/tokens')
  @Authorized('office_admin')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Issue one-time tokens for a unit; the plaintext tokens are in this response only' })
  issue(@Param('id', ParseUUIDPipe) id: string, @Body() dto: IssueTokensDto, @CurrentUser() user: AuthUser, @Req() req: Request, @IdempotencyKey() key: string) {
    return this.evaluations.issueTokens(id, dto, caller(user, req), key);
  }

  @Post(':id/reminders')
  @Authorized('office_admin')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Remind the recipients of unused tokens (no one learns who answered what)' })
  remind(@Param('id', ParseUUIDPipe) id: string, @Body() dto: RemindDto, @CurrentUser() user: AuthUser, @Req() req: Request, @IdempotencyKey() key: string) {
    return this.evaluations.remind(id, dto.unitId, caller(user, req), key);
  }

  @Get(':id/results')
  @Authorized()
  @ApiOperation({ summary: 'Per unit: issued, responded, and per question mean, distribution and satisfaction rate' })
  results(@Param('id', ParseUUIDPipe) id: string, @Query() q: ResultsQuery, @CurrentUser() user: AuthUser) {
    return this.evaluations.results(id, q.unitId, user);
  }
}

import { Body, Controller, Get, Headers, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Audited, Authorized, CurrentUser, type AuthUser } from '../auth';
import { Actor } from '../common/actor';
import { CycleQueriesService } from './cycle-queries.service';
import { CycleStartService } from './cycle-start.service';
import { CycleSteeringService } from './cycle-steering.service';
import { CycleSummaryDto, ListCyclesQuery, ProgressQuery } from './dto/cycle-queries.dto';
import { ProgressMatrixDto, ProgressMatrixQuery } from './dto/progress-matrix.dto';
import { StartCycleDto } from './dto/start-cycle.dto';
import { UnitDetailDto } from './dto/unit-detail.dto';
import { ProgressMatrixService } from './progress-matrix.service';

/** Office readers of every cycle: the office and the auditors (a unit reads its own page, GET :id/units/:unit). */
const CYCLE_READERS = ['office_admin', 'office_reviewer', 'auditor'] as const;

@ApiTags('cycles')
@Controller('cycles')
export class CyclesController {
  constructor(
    private readonly starter: CycleStartService,
    private readonly queries: CycleQueriesService,
    private readonly steering: CycleSteeringService,
    private readonly matrix: ProgressMatrixService,
  ) {}

  @Post()
  @Authorized('office_admin')
  @Audited('cycle.start', { entity: 'cycle' })
  @ApiOperation({
    summary: 'Start a campaign cycle: a template version for a date and a selection of units',
    description:
      'Records the cycle (template version pinned), one plan per unit kind and the cycle’s units in one transaction, then starts the cycle workflow, which starts one workflow per unit in batches. ' +
      'Idempotent: the same Idempotency-Key (or, without one, the same body) returns the same cycle with 200 and starts nothing twice; after a failed workflow start (503), repeat the request.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Makes retries safe; without it a hash of the body is the key.',
  })
  @ApiCreatedResponse({ description: 'A new cycle.' })
  @ApiOkResponse({ description: 'The cycle an earlier identical request started.' })
  @ApiBadRequestResponse({
    description: 'Unknown template/version, bad dates, empty selection, unknown unit ids/codes (named).',
  })
  @ApiConflictResponse({ description: 'The Idempotency-Key was used for a different request.' })
  @ApiServiceUnavailableResponse({ description: 'Recorded, but Temporal refused the start; repeat the request.' })
  async start(
    @Body() dto: StartCycleDto,
    @Headers('idempotency-key') key: string | undefined,
    @Actor() actor: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, cycle } = await this.starter.start(dto, key, actor);
    res.status(created ? 201 : 200);
    return cycle;
  }

  @Get()
  @Authorized(...CYCLE_READERS)
  @ApiOperation({ summary: 'Cycles, newest first, with units by status and overdue steps' })
  @ApiOkResponse({ type: [CycleSummaryDto] })
  list(@Query() query: ListCyclesQuery) {
    return this.queries.list(query.status);
  }

  @Get(':id')
  @Authorized(...CYCLE_READERS)
  @ApiOperation({ summary: 'One cycle with its plans (stages and steps per unit kind)' })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string) {
    return this.queries.get(id);
  }

  @Get(':id/progress')
  @Authorized(...CYCLE_READERS)
  @ApiOperation({
    summary:
      'Progress from the read model: units started, counts per stage / step / status, overdue steps, bulletin list',
  })
  @ApiNotFoundResponse()
  progress(@Param('id', ParseUUIDPipe) id: string, @Query() query: ProgressQuery) {
    return this.queries.progress(id, query.asOf ? new Date(query.asOf) : undefined);
  }

  @Get(':id/progress/matrix')
  @Authorized(...CYCLE_READERS)
  @ApiOperation({
    summary: 'Progress matrix: units × steps as one status character per cell, with per-stage and per-kind totals',
    description:
      'Compact for a whole district: the step columns once, then one row per unit (ordered by code) whose `cells` string has one character per column (see `legend`). ' +
      'Filters: stage (columns), status (units with such a cell), kind, subtree, search; paging by offset/limit (limit up to 100,000 is a full dump). Totals count the cells of every matching unit. ' +
      'Every answer has an ETag; sent back as If-None-Match it is answered 304 while nothing the answer is made of has changed and no deadline has moved a cell on.',
  })
  @ApiHeader({
    name: 'If-None-Match',
    required: false,
    description: 'The ETag of an earlier answer: 304 when it still holds.',
  })
  @ApiOkResponse({
    type: ProgressMatrixDto,
    headers: { ETag: { description: 'Weak; send it back as If-None-Match.', schema: { type: 'string' } } },
  })
  @ApiResponse({
    status: 304,
    description: 'The answer of the ETag sent in If-None-Match still holds (its `asOf` is now).',
  })
  @ApiBadRequestResponse({
    description: 'Unknown stage or subtree root, bad status/kind names, limit out of range (named).',
  })
  @ApiNotFoundResponse()
  async progressMatrix(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ProgressMatrixQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string | undefined> {
    const answer = await this.matrix.answer(id, query, ifNoneMatch);
    // private: per reader's roles; no-cache: a browser that keeps it asks again (If-None-Match) before using it.
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', answer.etag);
    if (answer.notModified) {
      res.status(304);
      return undefined;
    }
    // Serialised once by the service (1.7 MB for 10,000 units): sent as is, not through res.json again.
    res.type('application/json');
    return answer.json;
  }

  @Get(':id/units/:unit')
  @Authorized()
  @ApiOperation({
    summary:
      'One unit in a cycle (by unit id or code): its steps, its history in plain words, its workflow id and run id. Unit roles: only units they may read (403 otherwise).',
  })
  @ApiOkResponse({ type: UnitDetailDto })
  @ApiNotFoundResponse()
  unit(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Param('unit') unit: string) {
    return this.steering.unitDetail(user, id, unit);
  }
}

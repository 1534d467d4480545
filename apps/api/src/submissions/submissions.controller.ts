import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  Req,
  Res,
  StreamableFile,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '../../../../libs/domain/src';
import { clientIp } from '../audit/audited.decorator';
import { Authorized, CurrentUser } from '../auth/authorized.decorator';
import type { AuthUser } from '../auth/roles';
import { ApiIdempotencyKey, IdempotencyKey } from '../idempotency/idempotency-key.decorator';
import { AttachmentLimitFilter } from './attachment-limit.filter';
import { AttachmentsService, type UploadedFile as Upload } from './attachments.service';
import {
  CycleQuery,
  CreateSubmissionDto,
  DraftContentDto,
  ListSubmissionsQuery,
  ReviewDto,
  UploadAttachmentDto,
} from './submission.dto';
import { SubmissionReviewService } from './submission-review.service';
import {
  AttachmentViewDto,
  RectificationItemDto,
  StepCountsDto,
  SubmissionListItemDto,
  SubmissionViewDto,
  VersionDto,
} from './submission-view.dto';
import { SubmissionReportsService } from './submission-reports.service';
import { SubmissionsService } from './submissions.service';
import { ReviewQueueDto, ReviewQueueQuery } from './review-queue.dto';
import { ReviewQueueService } from './review-queue.service';
import { AttachmentDownloadQuery, contentDisposition } from './attachment-disposition';

const caller = (user: AuthUser, req: Request) => ({ user, ip: clientIp(req) });
const IF_MATCH_PROBLEM = {
  field: 'If-Match',
  problem: 'must be the draft revision as an entity tag, e.g. "3" (from draftRevision or the ETag header)',
};

/** `If-Match: "3"` (or W/"3", or 3) → 3; absent → undefined (last write wins, as before). */
function draftRevisionOf(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const m = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!m) throw DomainError.validation(`If-Match: ${IF_MATCH_PROBLEM.problem}`, [IF_MATCH_PROBLEM]);
  return Number(m[1]);
}

/** The draft's revision as an entity tag, so a client can send it back as If-Match. */
const etagOf = (view: { draftRevision: number }) => `"${view.draftRevision}"`;
const VERSION_PROBLEM = { field: 'version', problem: 'must be a positive integer' };
const versionPipe = new ParseIntPipe({
  exceptionFactory: () => DomainError.validation('version: must be a positive integer', [VERSION_PROBLEM]),
});

/** Units draft and submit (own unit only); the office reviews; parents (secretaries), office and auditors read. */
@ApiTags('submissions')
@Controller('submissions')
export class SubmissionsController {
  constructor(
    private readonly submissions: SubmissionsService,
    private readonly review: SubmissionReviewService,
    private readonly attachments: AttachmentsService,
    private readonly reports: SubmissionReportsService,
    private readonly queue: ReviewQueueService,
  ) {}

  @Post()
  @Authorized('unit_secretary', 'unit_submitter', 'office_admin')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: "Start a draft for one step of the unit's plan (one submission per cycle, unit and step)" })
  @ApiCreatedResponse({ type: SubmissionViewDto })
  @ApiConflictResponse({ description: 'The unit already has a submission for this step' })
  create(
    @Body() dto: CreateSubmissionDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.submissions.create(dto, caller(user, req), key);
  }

  @Get()
  @Authorized()
  @ApiOperation({
    summary: 'List submissions the caller may read (own unit; a secretary also the subtree; office and auditors all)',
  })
  @ApiOkResponse({ type: [SubmissionListItemDto] })
  list(@Query() q: ListSubmissionsQuery, @CurrentUser() user: AuthUser) {
    return this.submissions.list(q, user);
  }

  @Get('counts')
  @Authorized()
  @ApiOperation({ summary: 'Per step of a cycle: drafts, awaiting review, returned, accepted (readable units only)' })
  @ApiOkResponse({ type: [StepCountsDto] })
  counts(@Query() q: CycleQuery, @CurrentUser() user: AuthUser) {
    return this.reports.counts(q.cycleId, user);
  }

  @Get('rectification-items')
  @Authorized()
  @ApiOperation({
    summary: 'Items of the accepted rectification plans (goal, project, deadline, measures, responsible), one row each',
  })
  @ApiOkResponse({ type: [RectificationItemDto] })
  rectificationItems(@Query() q: CycleQuery, @CurrentUser() user: AuthUser) {
    return this.reports.rectificationItems(q.cycleId, user);
  }

  @Get('review-queue')
  @Authorized('office_reviewer', 'office_admin', 'auditor')
  @ApiOperation({
    summary: 'Versions awaiting the office’s decision, oldest submitted first, with their deliverables and attachments',
  })
  @ApiOkResponse({ type: ReviewQueueDto })
  reviewQueue(@Query() q: ReviewQueueQuery, @CurrentUser() user: AuthUser) {
    return this.queue.queue(q, user);
  }

  @Get(':id')
  @Authorized()
  @ApiOperation({ summary: 'A submission: its draft, every version (with decisions) and its attachments' })
  @ApiOkResponse({
    type: SubmissionViewDto,
    description: 'The ETag header is the draft revision (send it back as If-Match).',
  })
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.submissions.get(id, user);
    res.setHeader('ETag', etagOf(view));
    return view;
  }

  @Put(':id/draft')
  @Authorized('unit_secretary', 'unit_submitter', 'office_admin')
  @ApiOperation({
    summary: 'Replace the draft (while draft or returned)',
    description:
      'Optimistic concurrency: send If-Match with the draft revision you edited (draftRevision / ETag). If the draft was saved since (another tab, another person), the answer is 409 with code STALE_DRAFT naming the revision, who saved it and the deliverables that differ; nothing is overwritten. Without If-Match the last save wins.',
  })
  @ApiHeader({ name: 'If-Match', required: false, description: 'The draft revision this save is based on, e.g. "3"' })
  @ApiOkResponse({ type: SubmissionViewDto, description: 'The ETag header is the new draft revision.' })
  @ApiConflictResponse({
    description:
      'STALE_DRAFT (saved since the If-Match revision), or the submission is no longer a draft (STEP_CLOSED when the office closed its step)',
  })
  @ApiServiceUnavailableResponse({
    description:
      'DATABASE_BUSY: no database connection within DATABASE_ACQUIRE_TIMEOUT; retry after Retry-After seconds',
  })
  async updateDraft(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: DraftContentDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const view = await this.submissions.updateDraft(
      id,
      dto,
      caller(user, req),
      draftRevisionOf(req.header('if-match')),
    );
    res.setHeader('ETag', etagOf(view));
    return view;
  }

  @Post(':id/attachments')
  @Authorized('unit_secretary', 'unit_submitter', 'office_admin')
  @UseInterceptors(FileInterceptor('file'))
  @UseFilters(AttachmentLimitFilter)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'deliverableKey'],
      properties: { file: { type: 'string', format: 'binary' }, deliverableKey: { type: 'string' } },
    },
  })
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Upload a file for one deliverable (size and type limited; sha-256 recorded)' })
  @ApiCreatedResponse({ type: AttachmentViewDto })
  upload(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UploadAttachmentDto,
    @UploadedFile() file: Upload | undefined,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.attachments.upload(id, dto.deliverableKey, file, caller(user, req), key);
  }

  @Get(':id/attachments/:attachmentId')
  @Authorized()
  @ApiOperation({
    summary:
      'Download an attachment (`disposition=inline` shows PDFs and images in the browser; other types are always downloaded)',
  })
  @ApiOkResponse({ description: 'The file, with its stored Content-Type' })
  async download(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('attachmentId', ParseUUIDPipe) attachmentId: string,
    @Query() q: AttachmentDownloadQuery,
    @CurrentUser() user: AuthUser,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { meta, stream } = await this.attachments.open(id, attachmentId, user);
    res.set({
      'Content-Type': meta.mimeType,
      'Content-Disposition': contentDisposition(meta, q.disposition),
      ETag: `"${meta.sha256}"`,
      'X-Content-Type-Options': 'nosniff',
    });
    return new StreamableFile(stream, { length: meta.sizeBytes });
  }

  @Post(':id/submit')
  @HttpCode(200)
  @Authorized('unit_secretary', 'unit_submitter', 'office_admin')
  @ApiIdempotencyKey()
  @ApiOperation({
    summary:
      "Freeze the draft as a new version and hand it to the unit's workflow (409 with the reason if the step is not open)",
  })
  @ApiOkResponse({ type: SubmissionViewDto })
  @ApiConflictResponse({
    description:
      "The unit's workflow refused: `code` is the reason (STEP_NOT_OPEN, ALREADY_SUBMITTED, ALREADY_DECIDED, …), `message` says it in words. Nothing is recorded.",
  })
  @ApiServiceUnavailableResponse({
    description:
      'WORKFLOW_UNAVAILABLE or DATABASE_BUSY: retry with the same Idempotency-Key after Retry-After seconds (the submission may show `submitting` meanwhile)',
  })
  submit(
    @Param('id', ParseUUIDPipe) id: string,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.review.submit(id, caller(user, req), key);
  }

  @Get(':id/versions/:version')
  @Authorized()
  @ApiOperation({ summary: 'One submitted version, as it was submitted' })
  @ApiOkResponse({ type: VersionDto })
  version(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', versionPipe) version: number,
    @CurrentUser() user: AuthUser,
  ) {
    return this.submissions.version(id, version, user);
  }

  @Post(':id/versions/:version/review')
  @HttpCode(200)
  @Authorized('office_reviewer', 'office_admin')
  @ApiIdempotencyKey()
  @ApiOperation({ summary: 'Accept the version, or return it with a comment (409 if the workflow refuses)' })
  @ApiOkResponse({ type: SubmissionViewDto })
  @ApiConflictResponse({ description: 'Not awaiting review, or the workflow refused' })
  decide(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('version', versionPipe) version: number,
    @Body() dto: ReviewDto,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @IdempotencyKey() key: string,
  ) {
    return this.review.review(id, version, dto, caller(user, req), key);
  }
}

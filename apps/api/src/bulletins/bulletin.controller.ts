import { Controller, Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Authorized } from '../auth';
import { BulletinDto, BulletinExportQuery, BulletinQuery, OverdueListDto, OverdueQuery } from './bulletin.dto';
import { BulletinService } from './bulletin.service';

@ApiTags('bulletins')
@Controller('cycles/:id/bulletin')
@Authorized('office_admin', 'office_reviewer', 'auditor')
export class BulletinController {
  constructor(private readonly bulletins: BulletinService) {}

  @Get()
  @ApiOperation({ summary: 'Bulletin list (通报): units escalated to the office, ranked by days overdue' })
  @ApiOkResponse({ type: BulletinDto })
  @ApiNotFoundResponse({ description: 'No such cycle' })
  get(@Param('id') id: string, @Query() q: BulletinQuery) {
    return this.bulletins.bulletin(id, q.asOf);
  }

  @Get('export')
  @ApiOperation({ summary: 'The bulletin list as an Excel workbook (xlsx) or CSV (UTF-8 with BOM)' })
  @ApiProduces('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv')
  @ApiOkResponse({ description: 'The file (Content-Disposition: attachment)' })
  async export(@Param('id') id: string, @Query() q: BulletinExportQuery, @Res({ passthrough: true }) res: Response) {
    const file = await this.bulletins.export(id, q.format, q.asOf);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    return new StreamableFile(file.body, { type: file.contentType });
  }
}

@ApiTags('bulletins')
@Controller('cycles/:id/overdue')
@Authorized('office_admin', 'office_reviewer', 'auditor')
export class OverdueController {
  constructor(private readonly bulletins: BulletinService) {}

  @Get()
  @ApiOperation({
    summary:
      'Overdue steps of a cycle (open or returned past due), most days late first, with the escalation rung reached',
  })
  @ApiOkResponse({ type: OverdueListDto })
  @ApiNotFoundResponse({ description: 'No such cycle' })
  list(@Param('id') id: string, @Query() q: OverdueQuery) {
    return this.bulletins.overdue(id, q.asOf, q.limit);
  }
}

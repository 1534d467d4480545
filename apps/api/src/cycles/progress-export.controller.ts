import { Controller, Get, Param, ParseUUIDPipe, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Authorized } from '../auth';
import { ProgressMatrixQuery } from './dto/progress-matrix.dto';
import { ProgressExportService } from './progress-export.service';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('cycles')
@Controller('cycles/:id/progress/matrix/export')
export class ProgressExportController {
  constructor(private readonly exporter: ProgressExportService) {}

  @Get()
  @Authorized('office_admin', 'office_reviewer', 'auditor')
  @ApiOperation({
    summary:
      'The progress matrix as an Excel workbook: a row per unit, a column per step, the status in words and colour; totals on a second sheet',
    description: 'Same filters as GET :id/progress/matrix; every matching unit (offset and limit are ignored).',
  })
  @ApiProduces(XLSX)
  @ApiOkResponse({ description: 'The file (Content-Disposition: attachment)' })
  @ApiBadRequestResponse({ description: 'Unknown stage or subtree root, bad status/kind names (named).' })
  @ApiNotFoundResponse()
  async export(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() q: ProgressMatrixQuery,
    @Res({ passthrough: true }) res: Response,
  ) {
    const file = await this.exporter.workbook(id, q);
    res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
    return new StreamableFile(file.body, { type: XLSX });
  }
}

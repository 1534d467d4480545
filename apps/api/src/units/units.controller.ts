import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { clientIp } from '../audit/audited.decorator';
import { Audited, Authorized, CurrentUser, type AuthUser } from '../auth';
import { UnitImportService } from './import/unit-import.service';
import { unitImportTemplate, XLSX_MIME } from './import/unit-import.template';
import {
  ImportResultDto,
  ImportUnitsDoc,
  ListUnitsQuery,
  UnitDto,
  UnitPageDto,
  UnitTreeNodeDto,
  UnitTreeQuery,
} from './units.dto';
import { UnitsService } from './units.service';

const CSV_EXAMPLE =
  'code,name,kind,parentCode,secretaryName,email\nxh-edu,徐汇区教育党工委,office,,张华,office@xh.example.cn\nxh-s01,第一中学党支部,school,xh-edu,李明,s01@xh.example.cn';

@ApiTags('units')
@Controller('units')
export class UnitsController {
  constructor(
    private readonly units: UnitsService,
    private readonly imports: UnitImportService,
  ) {}

  @Post('import')
  @HttpCode(200)
  @Authorized('office_admin')
  @Audited('unit.import', { entity: 'unit' })
  @ApiOperation({
    summary: 'Create or update units in bulk (JSON, CSV or Excel .xlsx); all rows or none',
    description:
      'Rows are matched by code: a known code is updated (and may be re-parented), a new one is created. Parents may be in the same import or already stored. ' +
      'Every bad row is reported at once (`rows[3].email: not an email address`); JSON rows count from 0 in `units`, CSV and Excel rows as the spreadsheet shows them (header = row 1; Excel: the first worksheet). ' +
      'A key/column that is absent keeps the stored value on update; an empty one clears it.',
  })
  @ApiConsumes('application/json', 'text/csv', XLSX_MIME)
  @ApiExtraModels(ImportUnitsDoc)
  @ApiBody({
    schema: {
      oneOf: [
        { $ref: getSchemaPath(ImportUnitsDoc) },
        { type: 'string', example: CSV_EXAMPLE },
        { type: 'string', format: 'binary' },
      ],
    },
    description: `JSON \`{ units: [...] }\`, a CSV text (content-type text/csv) with a header row of the same names, or an Excel workbook (content-type ${XLSX_MIME}, at most 20 MB) laid out like GET /api/units/import/template.`,
  })
  @ApiOkResponse({ type: ImportResultDto })
  @ApiBadRequestResponse({ description: 'Every bad row with its field and problem; nothing was imported.' })
  import(
    @Body() body: unknown,
    @CurrentUser() user: AuthUser,
    @Req() req: Request,
    @Headers('content-type') contentType?: string,
  ) {
    const by = { user, ip: clientIp(req) };
    if (/^text\/csv/i.test(contentType ?? '')) return this.imports.importCsv(String(body ?? ''), by);
    if ((contentType ?? '').toLowerCase().startsWith(XLSX_MIME))
      return this.imports.importXlsx(Buffer.isBuffer(body) ? body : Buffer.alloc(0), by);
    return this.imports.importJson(body, by);
  }

  @Get('import/template')
  @Authorized('office_admin')
  @ApiOperation({
    summary: 'The Excel template for imports: the expected columns, example rows, a drop-down of unit kinds',
  })
  @ApiProduces(XLSX_MIME)
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async template() {
    return new StreamableFile(await unitImportTemplate(), {
      type: XLSX_MIME,
      disposition: 'attachment; filename="units-import-template.xlsx"',
    });
  }

  @Get()
  @Authorized()
  @ApiOperation({
    summary:
      'Units as a flat list, ordered by code; filter by kind and/or parent code. Unit roles see only the units they may read.',
  })
  @ApiOkResponse({ type: UnitPageDto })
  list(@CurrentUser() user: AuthUser, @Query() query: ListUnitsQuery) {
    return this.units.list(user, query);
  }

  @Get('tree')
  @Authorized()
  @ApiOperation({
    summary:
      'Units nested under their parents (党委 → 党总支 → 党支部). Unit roles see only their readable part of the tree.',
  })
  @ApiOkResponse({ type: [UnitTreeNodeDto] })
  tree(@CurrentUser() user: AuthUser, @Query() query: UnitTreeQuery) {
    return this.units.tree(user, query.root);
  }

  @Get(':code')
  @Authorized()
  @ApiOperation({ summary: 'One unit by its code (403 for a unit role outside its own unit / subtree)' })
  @ApiOkResponse({ type: UnitDto })
  @ApiNotFoundResponse({ description: 'No unit has this code.' })
  get(@CurrentUser() user: AuthUser, @Param('code') code: string) {
    return this.units.get(user, code);
  }
}

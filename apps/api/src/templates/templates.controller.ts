import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Audited, Authorized, CurrentUser } from '../auth';
import type { AuthUser } from '../auth/roles';
import { templateInput } from './template-input';
import {
  PreviewQueryDto,
  SaveTemplateResponseDto,
  TemplateDocumentBodyDto,
  TemplateSummaryDto,
  TemplateVersionDto,
  TemplateVersionRowDto,
} from './templates.dto';
import { TemplatesService } from './templates.service';

/** JSON { document } or the raw YAML text (a string): one request body, either shape under each content type. */
const BODY = {
  description: 'JSON { "document": {...} }, or the raw YAML text with Content-Type application/yaml or text/yaml',
  required: true,
  schema: {
    oneOf: [
      { $ref: getSchemaPath(TemplateDocumentBodyDto) },
      {
        type: 'string',
        description: 'The template as YAML (comments allowed)',
        example: 'key: drill-2027\nname: 2027年演练\nreferenceYear: 2027\nstages: [...]',
      },
    ],
  },
};
const PROBLEMS = {
  description:
    'Every problem at once: details = [{ field: "stages[1].steps[0].due", problem: "before the stage window opens" }, ...]; nothing stored',
};

@ApiTags('templates')
@ApiExtraModels(TemplateDocumentBodyDto)
@Controller('templates')
export class TemplatesController {
  constructor(private readonly templates: TemplatesService) {}

  @Post('validate')
  @HttpCode(200)
  @Authorized('office_admin', 'office_reviewer')
  @ApiOperation({ summary: 'Dry run: parse and check a template document without storing it' })
  @ApiConsumes('application/json', 'application/yaml', 'text/yaml')
  @ApiBody(BODY)
  @ApiOkResponse({ type: TemplateSummaryDto })
  @ApiBadRequestResponse(PROBLEMS)
  validate(@Body() body: unknown) {
    return this.templates.validate(templateInput(body));
  }

  @Post()
  @Authorized('office_admin')
  @Audited('template.save', { entity: 'campaign_template' })
  @ApiOperation({
    summary:
      'Save a template: a changed document becomes the next version of its key; an unchanged one returns its version',
  })
  @ApiConsumes('application/json', 'application/yaml', 'text/yaml')
  @ApiBody(BODY)
  @ApiCreatedResponse({ type: SaveTemplateResponseDto, description: 'A new version was stored' })
  @ApiOkResponse({ type: SaveTemplateResponseDto, description: 'The same document was already stored: its version' })
  @ApiBadRequestResponse(PROBLEMS)
  async save(@Body() body: unknown, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) res: Response) {
    const saved = await this.templates.save(templateInput(body), 'api', user.email);
    res.status(saved.created ? 201 : 200);
    return saved;
  }

  @Get()
  @Authorized()
  @ApiOperation({ summary: 'The latest version of every template key' })
  @ApiOkResponse({ type: [TemplateVersionRowDto] })
  list() {
    return this.templates.listLatest();
  }

  @Get(':key/versions')
  @Authorized()
  @ApiOperation({ summary: 'Every stored version of one template key, oldest first' })
  @ApiOkResponse({ type: [TemplateVersionRowDto] })
  @ApiNotFoundResponse({ description: 'No template with this key' })
  versions(@Param('key') key: string) {
    return this.templates.listVersions(key);
  }

  @Get(':key/versions/:version')
  @Authorized()
  @ApiOperation({
    summary: 'One version: the document, and with ?startsOn=YYYY-MM-DD&unitKind=school a preview of the resolved plan',
  })
  @ApiOkResponse({ type: TemplateVersionDto })
  @ApiNotFoundResponse({ description: 'No such key or version' })
  version(@Param('key') key: string, @Param('version', ParseIntPipe) version: number, @Query() query: PreviewQueryDto) {
    return this.templates.versionWithPreview(key, version, query);
  }
}

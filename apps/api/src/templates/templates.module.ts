import { Module } from '@nestjs/common';
import { BuiltinTemplatesLoader } from './builtin-templates.loader';
import { TemplateRepository } from './template.repository';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

/** YAML bodies arrive as text, read with the other bodies under the per-route limits (common/body-limits.ts). */
@Module({
  controllers: [TemplatesController],
  providers: [TemplatesService, BuiltinTemplatesLoader, TemplateRepository],
  exports: [TemplatesService, TemplateRepository],
})
export class TemplatesModule {}

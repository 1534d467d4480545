import { MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { text } from 'express';
import { BuiltinTemplatesLoader } from './builtin-templates.loader';
import { TemplatesController } from './templates.controller';
import { TemplatesService } from './templates.service';

/** YAML bodies arrive as text; the global JSON parser leaves them alone. */
const yamlBody = text({ type: ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'], limit: '2mb' });

@Module({
  controllers: [TemplatesController],
  providers: [TemplatesService, BuiltinTemplatesLoader],
  exports: [TemplatesService],
})
export class TemplatesModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer.apply(yamlBody).forRoutes(TemplatesController);
  }
}

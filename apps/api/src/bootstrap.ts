import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { validationPipe } from './common/validation';

/** Builds the configured Nest app (shared by main.ts and the tests, so both see the same pipes and docs). */
export async function createApiApp(): Promise<INestApplication> {
  const app = await NestFactory.create(AppModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['health'] });
  app.useGlobalPipes(validationPipe);
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  const doc = new DocumentBuilder()
    .setTitle('Campaign orchestration API')
    .setDescription('Campaign templates, units, cycles, submissions and notices for phased campaigns (学习调研 → 分析检查 → 整改落实).')
    .setVersion('1')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

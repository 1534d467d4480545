import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { installBodyLimits } from './common/body-limits';
import { validationPipe } from './common/validation';

/** Pipes, prefix, docs and shutdown hooks: shared by main.ts and the tests, so both serve the same API. */
export function configureApiApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['health'] });
  app.useGlobalPipes(validationPipe);
  // Per-route body limits (a few KiB before authentication, 50 MiB only for an office admin's unit import).
  installBodyLimits(app);
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  const doc = new DocumentBuilder()
    .setTitle('Campaign orchestration API')
    .setDescription('Campaign templates, units, cycles, submissions and notices for phased campaigns (学习调研 → 分析检查 → 整改落实).')
    .setVersion('1')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

export async function createApiApp(): Promise<INestApplication> {
  return configureApiApp(await NestFactory.create(AppModule, { bufferLogs: true }));
}

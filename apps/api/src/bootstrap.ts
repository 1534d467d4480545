import { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { validationPipe } from './common/validation';
import { createOpenApiDocument } from './openapi';
import { serveConsole } from './console/serve-console';

/** Pipes, prefix, docs and shutdown hooks: shared by main.ts and the tests, so both serve the same API. */
export function configureApiApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['health'] });
  app.useGlobalPipes(validationPipe);
  // The web console's session cookie (httpOnly, set by POST /api/auth/login); see BearerAuthGuard.
  app.use(cookieParser());
  // Bulk unit imports (5,000–100,000 rows) exceed express's 100 kB default; CSV arrives as text/csv.
  (app as NestExpressApplication).useBodyParser('json', { limit: '50mb' });
  (app as NestExpressApplication).useBodyParser('text', { type: 'text/csv', limit: '50mb' });
  // Unit imports from Excel arrive as the raw workbook (a zip; 100,000 rows are ~5 MB).
  (app as NestExpressApplication).useBodyParser('raw', { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', limit: '20mb' });
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  serveConsole(app);
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

export async function createApiApp(): Promise<INestApplication> {
  return configureApiApp(await NestFactory.create(AppModule, { bufferLogs: true }));
}

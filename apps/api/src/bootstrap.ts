import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { installBodyLimits } from './common/body-limits';
import { validationPipe } from './common/validation';
import { createOpenApiDocument } from './openapi';
import { serveConsole } from './console/serve-console';

/** Pipes, prefix, docs and shutdown hooks: shared by main.ts and the tests, so both serve the same API. */
export function configureApiApp(app: INestApplication): INestApplication {
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix('api', { exclude: ['health'] });
  app.useGlobalPipes(validationPipe);
  // The web console's session cookie (httpOnly, set by POST /api/auth/login); see BearerAuthGuard. Before the body
  // limits: the unit import reads its body only once the token (header or cookie) names an office admin.
  app.use(cookieParser());
  // Per-route body limits (a few KiB before authentication; JSON, CSV and Excel unit imports up to 50 MiB, office admins only).
  installBodyLimits(app);
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  serveConsole(app);
  SwaggerModule.setup('docs', app, () => createOpenApiDocument(app), { jsonDocumentUrl: 'docs/openapi.json' });
  return app;
}

export async function createApiApp(): Promise<INestApplication> {
  return configureApiApp(await NestFactory.create(AppModule, { bufferLogs: true }));
}

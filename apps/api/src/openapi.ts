import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/** The OpenAPI description the api serves at /docs/openapi.json (and the console's typed client is generated from). */
export function openApiConfig() {
  return new DocumentBuilder()
    .setTitle('Campaign orchestration API')
    .setDescription(
      'Campaign templates, units, cycles, submissions and notices for phased campaigns (学习调研 → 分析检查 → 整改落实).',
    )
    .setVersion('1')
    .addBearerAuth()
    .addCookieAuth('campaigns_session')
    .build();
}

export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  return SwaggerModule.createDocument(app, openApiConfig());
}

/**
 * The document without a database or Temporal: the app in Nest's preview mode (modules scanned, no provider
 * instantiated), with the same global prefix as the served api. Used by `npm run console:api` and its staleness test.
 */
export async function openApiDocumentOffline(): Promise<OpenAPIObject> {
  const { AppModule } = await import('./app.module');
  const app = await NestFactory.create(AppModule, { preview: true, logger: false, abortOnError: false });
  app.setGlobalPrefix('api', { exclude: ['health'] });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

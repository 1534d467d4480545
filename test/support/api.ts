import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { Client } from '@temporalio/client';
import { AppModule } from '../../apps/api/src/app.module';
import { configureApiApp } from '../../apps/api/src/bootstrap';
import { TEMPORAL_CLIENT } from '../../libs/temporal/src';
import { testConfig } from './env';

/**
 * The real api (all modules, pipes and filters) on a test database; `temporal` replaces the lazily connected
 * client with the test environment's client (time-skipping or dev server).
 */
export async function createTestApi(opts: {
  databaseUrl: string;
  temporal?: Client;
  env?: Record<string, string>;
}): Promise<INestApplication> {
  let builder = Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(ConfigService)
    .useValue(testConfig({ DATABASE_URL: opts.databaseUrl, ...opts.env }));
  if (opts.temporal) builder = builder.overrideProvider(TEMPORAL_CLIENT).useValue(opts.temporal);
  const moduleRef = await builder.compile();
  const app = configureApiApp(moduleRef.createNestApplication({ bufferLogs: true }));
  await app.init();
  return app;
}

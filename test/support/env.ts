import { ConfigService } from '@nestjs/config';
import { Env, validateEnv } from '../../libs/config/src/env.schema';

/** A validated configuration for a test, as the apps would see it. */
export function testConfig(overrides: Record<string, string | undefined>): ConfigService<Env, true> {
  const env = validateEnv({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    TEMPORAL_ADDRESS: '127.0.0.1:1',
    ...overrides,
  });
  return new ConfigService<Env, true>(env as unknown as Record<string, unknown>);
}

import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env, validateEnv } from './env.schema';

/**
 * Global, validated configuration: @nestjs/config's ConfigService over the zod-validated environment.
 * Validation runs when the container is built (not when this file is imported), so tests can swap the
 * ConfigService for one built from their own values. main.ts validates earlier still, to exit with one line.
 * Env files are not read: the launcher, CI and containers set the environment.
 */
@Global()
@Module({
  providers: [
    {
      provide: ConfigService,
      useFactory: () => new ConfigService<Env, true>(validateEnv(process.env) as unknown as Record<string, unknown>),
    },
  ],
  exports: [ConfigService],
})
export class AppConfigModule {}

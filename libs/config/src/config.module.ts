import { Global, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateEnv } from './env.schema';

/** Global, validated configuration. Env files are not read: the launcher and the container set the environment. */
@Global()
@Module({
  imports: [ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, cache: true, validate: validateEnv })],
  exports: [ConfigModule],
})
export class AppConfigModule {}

import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { durationMs, type Env } from '../../config/src';
import { allEntities } from './entities';
import { dataSourceOptions } from './data-source-options';
import { Db, PoolGuard } from './db';
import { sharedRepositories } from './repositories';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        dataSourceOptions(
          config.get('DATABASE_URL', { infer: true }),
          config.get('DATABASE_POOL_SIZE', { infer: true }),
          poolLimits(config),
        ),
    }),
    TypeOrmModule.forFeature(allEntities),
  ],
  providers: [Db, PoolGuard, ...sharedRepositories],
  exports: [TypeOrmModule, Db, ...sharedRepositories],
})
export class PersistenceModule {}

export function poolLimits(config: ConfigService<Env, true>) {
  return {
    acquireTimeoutMs: durationMs(config.get('DATABASE_ACQUIRE_TIMEOUT', { infer: true })),
    statementTimeoutMs: durationMs(config.get('DATABASE_STATEMENT_TIMEOUT', { infer: true })),
    idleInTransactionTimeoutMs: durationMs(config.get('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT', { infer: true })),
  };
}

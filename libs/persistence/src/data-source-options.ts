import type { DataSourceOptions } from 'typeorm';
import { allEntities } from './entities';
import { allMigrations } from './migrations';

/** Limits of the pool and of every connection in it (milliseconds); unset: no limit (migrations, tests' own pools). */
export interface PoolLimits {
  /** Longest wait for a free connection (pg-pool `connectionTimeoutMillis`); past it the acquire fails. */
  acquireTimeoutMs?: number;
  /** PostgreSQL `statement_timeout`: a statement running or waiting on a lock longer is cancelled (SQLSTATE 57014). */
  statementTimeoutMs?: number;
  /** PostgreSQL `idle_in_transaction_session_timeout`: a session idle inside a transaction longer is closed. */
  idleInTransactionTimeoutMs?: number;
}

export function dataSourceOptions(databaseUrl: string, poolSize = 10, limits: PoolLimits = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: allEntities,
    migrations: allMigrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    // node-postgres: pool size and acquire timeout (pg-pool), session settings sent at connect (pg client)
    extra: {
      max: poolSize,
      ...(limits.acquireTimeoutMs ? { connectionTimeoutMillis: limits.acquireTimeoutMs } : {}),
      ...(limits.statementTimeoutMs ? { statement_timeout: limits.statementTimeoutMs } : {}),
      ...(limits.idleInTransactionTimeoutMs
        ? { idle_in_transaction_session_timeout: limits.idleInTransactionTimeoutMs }
        : {}),
    },
  };
}

import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Pool } from 'pg';
import type { Env } from '../../../../libs/config/src';

/**
 * The health checks' own connection (a pool of one), not Db's request pool: a burst that keeps every request
 * connection busy is load, not an outage, so /health keeps answering (and a load balancer keeps the instance) while
 * the requests themselves are answered 503 with Retry-After.
 */
@Injectable()
export class HealthRepository implements OnModuleDestroy {
  private readonly pool: Pool;

  constructor(config: ConfigService<Env, true>) {
    this.pool = new Pool({
      connectionString: config.get('DATABASE_URL', { infer: true }),
      max: 1,
      connectionTimeoutMillis: 3000,
      statement_timeout: 3000,
      idleTimeoutMillis: 60_000,
    });
    this.pool.on('error', () => undefined); // a dropped idle connection is reported by the next check
  }

  /** Resolves when the database answers within 3 s. */
  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** Runs another module's read on the health connection: the worker indicator's heartbeat query. */
  async rows<T = unknown>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

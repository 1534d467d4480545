import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { Pool } from 'pg';
import type { Env } from '../../../../libs/config/src';

/**
 * Database reachability on a connection of its own (a pool of one), not the request pool: a burst that keeps every
 * request connection busy is load, not an outage, so /health keeps answering (and a load balancer keeps the
 * instance) while the requests themselves are answered 503 with Retry-After.
 */
@Injectable()
export class DatabaseHealthIndicator implements OnModuleDestroy {
  private readonly pool: Pool;

  constructor(
    config: ConfigService<Env, true>,
    private readonly health: HealthIndicatorService,
  ) {
    this.pool = new Pool({ connectionString: config.get('DATABASE_URL', { infer: true }), max: 1, connectionTimeoutMillis: 3000, statement_timeout: 3000, idleTimeoutMillis: 60_000 });
    this.pool.on('error', () => undefined); // a dropped idle connection is reported by the next check
  }

  async isHealthy(key = 'database') {
    const indicator = this.health.check(key);
    try {
      await this.pool.query('SELECT 1');
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }

  /** Rows of a query on the health connection: the worker indicator reads the heartbeats here, not on the request pool. */
  async rows(sql: string, params: unknown[] = []): Promise<any[]> {
    return (await this.pool.query(sql, params)).rows;
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}

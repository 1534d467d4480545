import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { WorkerHeartbeatRepository } from '../../../../libs/persistence/src/repositories/worker-heartbeat.repository';
import { HEARTBEAT_STALE_MS } from '../../../../libs/persistence/src/worker-heartbeat';
import { HealthRepository } from './health.repository';

/**
 * Terminus indicator for the worker process(es), from their heartbeat rows: up with the number of live workers, down
 * ("no worker has reported for …") when none beat within HEARTBEAT_STALE_MS — so an office sees "worker down"
 * instead of notices silently not going out.
 */
@Injectable()
export class WorkerHealthIndicator {
  constructor(
    private readonly connection: HealthRepository,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'worker') {
    const indicator = this.health.check(key);
    try {
      // On the health check's own connection (statement_timeout 3 s): a busy request pool must not make the worker look down.
      const { alive, lastBeatAt } = await new WorkerHeartbeatRepository({ query: (sql, params) => this.connection.rows(sql, params) }).liveness();
      if (alive > 0) return indicator.up({ workers: alive, lastBeatAt: lastBeatAt!.toISOString() });
      return indicator.down({
        message: `worker down: no worker has reported for ${HEARTBEAT_STALE_MS / 1000} s (last heartbeat: ${lastBeatAt ? lastBeatAt.toISOString() : 'never'})`,
        lastBeatAt: lastBeatAt?.toISOString() ?? null,
      });
    } catch (error) {
      return indicator.down({ message: `worker heartbeats unreadable: ${(error as Error).message}` });
    }
  }
}

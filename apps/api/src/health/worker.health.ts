import { Injectable } from '@nestjs/common';
import { WorkerHeartbeatRepository } from '../../../../libs/persistence/src/repositories/worker-heartbeat.repository';
import { HEARTBEAT_STALE_MS } from '../../../../libs/persistence/src/worker-heartbeat';
import { ConnectionHealthIndicator } from './connection-health.indicator';

/**
 * Terminus indicator for the worker process(es), from their heartbeat rows: up with the number of live workers, down
 * ("no worker has reported for …") when none beat within HEARTBEAT_STALE_MS — so an office sees "worker down"
 * instead of notices silently not going out.
 */
@Injectable()
export class WorkerHealthIndicator extends ConnectionHealthIndicator {
  isHealthy(key = 'worker') {
    return this.indicate(key, 'worker heartbeats unreadable: ', async (indicator) => {
      const { alive, lastBeatAt } = await new WorkerHeartbeatRepository({
        query: (sql, params) => this.connection.rows(sql, params),
      }).liveness();
      if (alive > 0) return indicator.up({ workers: alive, lastBeatAt: lastBeatAt!.toISOString() });
      return indicator.down({
        message: `worker down: no worker has reported for ${HEARTBEAT_STALE_MS / 1000} s (last heartbeat: ${lastBeatAt ? lastBeatAt.toISOString() : 'never'})`,
        lastBeatAt: lastBeatAt?.toISOString() ?? null,
      });
    });
  }
}

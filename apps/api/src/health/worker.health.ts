import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { HEARTBEAT_STALE_MS, workerLiveness } from '../../../../libs/persistence/src/worker-heartbeat';

/**
 * Terminus indicator for the worker process(es), from their heartbeat rows: up with the number of live workers, down
 * ("no worker has reported for …") when none beat within HEARTBEAT_STALE_MS — so an office sees "worker down"
 * instead of notices silently not going out.
 */
@Injectable()
export class WorkerHealthIndicator {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly health: HealthIndicatorService,
  ) {}

  async isHealthy(key = 'worker') {
    const indicator = this.health.check(key);
    try {
      const { alive, lastBeatAt } = await withTimeout(workerLiveness(this.db), 3000);
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

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([p, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() => clearTimeout(timer));
}

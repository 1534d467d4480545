import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Env } from '../../../libs/config/src';
import { WorkerHeartbeatRepository } from '../../../libs/persistence/src/repositories/worker-heartbeat.repository';
import { HEARTBEAT_INTERVAL_MS } from '../../../libs/persistence/src/worker-heartbeat';
import { TemporalWorkerService } from './temporal-worker.service';

/**
 * Writes this process's heartbeat row while its Temporal worker runs (libs/persistence/src/worker-heartbeat.ts), so
 * /health can say "worker down" and a container health check can see a wedged worker. A failed write (database
 * restarting) is logged and tried again at the next beat.
 */
@Injectable()
export class WorkerHeartbeatService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('WorkerHeartbeat');
  private timer?: NodeJS.Timeout;
  private failing = false;

  constructor(
    private readonly heartbeats: WorkerHeartbeatRepository,
    private readonly config: ConfigService<Env, true>,
    private readonly worker: TemporalWorkerService,
  ) {}

  onApplicationBootstrap(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_INTERVAL_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.heartbeats.end().catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.worker.state() !== 'RUNNING') return;
    try {
      await this.heartbeats.beat(this.config.get('TEMPORAL_TASK_QUEUE', { infer: true }));
      if (this.failing) this.log.log('heartbeat written again');
      this.failing = false;
    } catch (error) {
      if (!this.failing) this.log.warn(`heartbeat not written: ${(error as Error).message}`);
      this.failing = true;
    }
  }
}

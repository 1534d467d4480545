import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Env } from '../../../libs/config/src';
import { NoticeDeliveryActivities } from '../../../activities/notices/notice-delivery.activities';
import { createNoticeWorkers } from './notice-workers';
import { exitOnWorkerFailure } from './temporal-worker.service';

/** Hosts the per-channel notice workers beside the main worker (NOTICE_WORKERS=false turns them off). */
@Injectable()
export class NoticeWorkersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('NoticeWorkers');
  private workers: Worker[] = [];
  private running: Promise<unknown>[] = [];
  private connection?: NativeConnection;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('NOTICE_WORKERS', { infer: true })) return;
    const address = this.config.get('TEMPORAL_ADDRESS', { infer: true });
    this.connection = await NativeConnection.connect({ address });
    this.workers = await createNoticeWorkers({
      connection: this.connection,
      namespace: this.config.get('TEMPORAL_NAMESPACE', { infer: true }),
      baseTaskQueue: this.config.get('TEMPORAL_TASK_QUEUE', { infer: true }),
      config: this.config,
      activities: this.moduleRef.get(NoticeDeliveryActivities, { strict: false }),
    });
    this.running = this.workers.map((w) =>
      w.run().catch((error) => exitOnWorkerFailure(this.log, 'notice worker', error)),
    );
    this.log.log(`polling ${this.workers.length} notice task queues on ${address}`);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const w of this.workers) if (w.getState() === 'RUNNING') w.shutdown();
    await Promise.all(this.running);
    await this.connection?.close();
  }
}

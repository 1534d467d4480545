import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { NativeConnection } from '@temporalio/worker';
import type { Env } from '../../../libs/config/src';
import { NoticeDeliveryActivities } from '../../../activities/notices/notice-delivery.activities';
import { createNoticeWorkers, type NoticeRunner } from './notice-workers';
import { exitOnWorkerFailure } from './temporal-worker.service';

/**
 * Hosts notice delivery beside the main worker: the outbox dispatchers (NOTICE_DISPATCH) and the per-channel
 * deliverNotice task-queue workers for runs recorded before them (NOTICE_WORKERS).
 */
@Injectable()
export class NoticeWorkersService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('NoticeWorkers');
  private runners: NoticeRunner[] = [];
  private running: Promise<unknown>[] = [];
  private connection?: NativeConnection;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const dispatch = this.config.get('NOTICE_DISPATCH', { infer: true });
    const queues = this.config.get('NOTICE_WORKERS', { infer: true });
    if (!dispatch && !queues) return;
    const address = this.config.get('TEMPORAL_ADDRESS', { infer: true });
    this.connection = await NativeConnection.connect({ address });
    this.runners = await createNoticeWorkers({
      connection: this.connection,
      namespace: this.config.get('TEMPORAL_NAMESPACE', { infer: true }),
      baseTaskQueue: this.config.get('TEMPORAL_TASK_QUEUE', { infer: true }),
      config: this.config,
      activities: this.moduleRef.get(NoticeDeliveryActivities, { strict: false }),
      log: { warn: (m) => this.log.warn(m) },
    });
    this.running = this.runners.map((r) =>
      r.run().catch((error) => exitOnWorkerFailure(this.log, 'notice delivery', error)),
    );
    this.log.log(
      `notice delivery: ${dispatch ? 'outbox dispatchers' : 'no outbox dispatchers'}, ${queues ? `channel task queues on ${address}` : 'no channel task queues'}`,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    for (const r of this.runners) if (r.getState() === 'RUNNING') r.shutdown();
    await Promise.all(this.running);
    await this.connection?.close();
  }
}

import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Env } from '../../../libs/config/src';
import { collectActivities } from '../../../activities/collect-activities';
import { workflowSource } from './workflow-source';

/**
 * Hosts the Temporal worker inside the Nest application context. Shutdown (SIGINT/SIGTERM via Nest's
 * shutdown hooks) stops polling, lets running activities finish within WORKER_SHUTDOWN_GRACE, then closes.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = new Logger('TemporalWorker');
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    private readonly config: ConfigService<Env, true>,
    private readonly moduleRef: ModuleRef,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const address = this.config.get('TEMPORAL_ADDRESS', { infer: true });
    this.connection = await NativeConnection.connect({ address });
    this.worker = await Worker.create({
      connection: this.connection,
      namespace: this.config.get('TEMPORAL_NAMESPACE', { infer: true }),
      taskQueue: this.config.get('TEMPORAL_TASK_QUEUE', { infer: true }),
      activities: collectActivities((cls) => this.moduleRef.get(cls, { strict: false })),
      maxConcurrentActivityTaskExecutions: this.config.get('WORKER_MAX_CONCURRENT_ACTIVITIES', { infer: true }),
      shutdownGraceTime: this.config.get('WORKER_SHUTDOWN_GRACE', { infer: true }) as `${number}s`,
      ...workflowSource(),
    });
    this.running = this.worker.run();
    this.running.catch((error) => {
      this.log.error(`worker stopped with an error: ${(error as Error).message}`);
      process.exitCode = 1;
    });
    this.log.log(`polling task queue ${this.config.get('TEMPORAL_TASK_QUEUE', { infer: true })} on ${address}`);
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    if (!this.worker) return;
    this.log.log(`draining (${signal ?? 'shutdown'})`);
    if (this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
    this.log.log('stopped');
  }

  state() {
    return this.worker?.getState() ?? 'INITIALIZED';
  }
}

import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Env } from '../../../libs/config/src';
import { collectActivities } from '../../../activities/collect-activities';
import { workflowSource } from './workflow-source';
import { workerTuning } from './worker-tuning';

let shuttingDown = false;

/**
 * A Temporal worker that stops by itself (a fatal error after its own retries, e.g. Temporal unreachable for too long)
 * would leave a process that runs but polls nothing. Exit instead: `npm start` and the container's restart policy
 * start a fresh one, and its heartbeat going stale makes /health say so meanwhile.
 */
export function exitOnWorkerFailure(log: Logger, what: string, error: unknown): void {
  if (shuttingDown) return;
  log.error(
    `${what} stopped with an error: ${(error as Error).message}; exiting so the supervisor restarts the process`,
  );
  process.exit(1);
}

/**
 * Hosts the Temporal worker inside the Nest application context. Shutdown (SIGINT/SIGTERM via Nest's
 * shutdown hooks) stops polling, lets running activities finish within WORKER_SHUTDOWN_GRACE, then closes.
 */
@Injectable()
export class TemporalWorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
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
      ...workerTuning(this.config),
      shutdownGraceTime: this.config.get('WORKER_SHUTDOWN_GRACE', { infer: true }) as `${number}s`,
      ...workflowSource(),
    });
    this.running = this.worker.run();
    this.running.catch((error) => exitOnWorkerFailure(this.log, 'worker', error));
    this.log.log(`polling task queue ${this.config.get('TEMPORAL_TASK_QUEUE', { infer: true })} on ${address}`);
  }

  /** Runs before any service's shutdown hook: from here on a stopping worker is expected, not a failure. */
  beforeApplicationShutdown(): void {
    shuttingDown = true;
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

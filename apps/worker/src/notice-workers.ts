import type { ConfigService } from '@nestjs/config';
import { NativeConnection, Worker } from '@temporalio/worker';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { durationMs, type Env } from '../../../libs/config/src';
import { dataSourceOptions } from '../../../libs/persistence/src/data-source-options';
import { Db, guardPool } from '../../../libs/persistence/src/db';
import { poolLimits } from '../../../libs/persistence/src/persistence.module';
import {
  NOTICE_CHANNELS,
  noticeTaskQueue,
  type NoticeChannel,
} from '../../../activities/notices/notice-delivery.contract';
import type { NoticeDeliveryActivities } from '../../../activities/notices/notice-delivery.activities';
import { NoticeDeliverer, type AttemptOutcome } from '../../../activities/notices/notice-deliverer';
import { OutboxDispatcher } from '../../../activities/notices/outbox-dispatcher';
import { OutboxListener } from '../../../activities/notices/outbox-listener';
import { SendRate } from '../../../activities/notices/send-rate';

const RATE_KEY: Record<NoticeChannel, keyof Env> = {
  email: 'NOTICE_RATE_EMAIL',
  wecom: 'NOTICE_RATE_WECOM',
  dingtalk: 'NOTICE_RATE_DINGTALK',
  webhook: 'NOTICE_RATE_WEBHOOK',
  inbox: 'NOTICE_RATE_INBOX',
};

/** What the worker runs beside its main Temporal worker: run until shutdown, like a Temporal Worker. */
export interface NoticeRunner {
  run(): Promise<void>;
  shutdown(): void;
  getState(): string;
}

export interface NoticeWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  baseTaskQueue: string;
  config: ConfigService<Env, true>;
  activities: NoticeDeliveryActivities;
  channels?: readonly NoticeChannel[];
  /** The dispatchers' clock (tests move it); Date.now otherwise. */
  now?: () => number;
  onOutcome?: (channel: NoticeChannel, outcome: AttemptOutcome, atMs: number) => void;
  log?: { warn(message: string): void };
}

/**
 * How notices leave the worker:
 * - NOTICE_DISPATCH: the outbox dispatchers, one per channel — what sends every new notice, at the channel's rate
 *   (a PostgreSQL token bucket shared by all worker replicas), woken by LISTEN/NOTIFY, no Temporal task per message;
 * - NOTICE_WORKERS: one activity-only Temporal worker per channel task queue, for the deliverNotice activities that
 *   unit workflow runs recorded before the dispatcher still schedule (their histories replay them) and for retry
 *   workflows started before it. `maxTaskQueueActivitiesPerSecond` keeps them at the channel's rate as before.
 * A row is sent once whichever road reaches it first: both lock it (NoticeDeliverer).
 */
export async function createNoticeWorkers(opts: NoticeWorkersOptions): Promise<NoticeRunner[]> {
  const channels = opts.channels ?? NOTICE_CHANNELS;
  const runners: NoticeRunner[] = [];
  if (opts.config.get('NOTICE_WORKERS', { infer: true })) {
    for (const channel of channels) {
      runners.push(
        await Worker.create({
          connection: opts.connection,
          namespace: opts.namespace,
          taskQueue: noticeTaskQueue(opts.baseTaskQueue, channel),
          activities: { deliverNotice: opts.activities.deliverNotice.bind(opts.activities) },
          maxTaskQueueActivitiesPerSecond: opts.config.get(RATE_KEY[channel], { infer: true }) as number,
          maxConcurrentActivityTaskExecutions: opts.config.get('NOTICE_WORKER_CONCURRENCY', { infer: true }),
          shutdownGraceTime: opts.config.get('WORKER_SHUTDOWN_GRACE', { infer: true }) as `${number}s`,
        }),
      );
    }
  }
  if (opts.config.get('NOTICE_DISPATCH', { infer: true })) runners.push(new OutboxDispatchers(opts, channels));
  return runners;
}

/**
 * The dispatchers of every channel, their shared listener, and their own connections: a pool of one connection per
 * lane (a burst's recordNotice and read-model activities queue for the worker's main pool; the sends must not queue
 * behind them, or the configured rate is lost to waiting) and a small one for the rate buckets' statements.
 */
export class OutboxDispatchers implements NoticeRunner {
  readonly dispatchers: OutboxDispatcher[];
  private readonly listener: OutboxListener;
  private readonly dataSource: DataSource;
  private readonly deliverer: NoticeDeliverer;
  private readonly bucketPool: Pool;
  private state = 'INITIALIZED';

  constructor(opts: NoticeWorkersOptions, channels: readonly NoticeChannel[]) {
    const url = opts.config.get('DATABASE_URL', { infer: true });
    const lanes = opts.config.get('NOTICE_WORKER_CONCURRENCY', { infer: true });
    this.dataSource = new DataSource(dataSourceOptions(url, lanes * channels.length, poolLimits(opts.config)));
    this.deliverer = new NoticeDeliverer(new Db(this.dataSource), opts.config);
    this.bucketPool = new Pool({ connectionString: url, max: 2 });
    this.bucketPool.on('error', () => undefined); // an idle client's error: the next query reports it
    this.dispatchers = channels.map(
      (channel) =>
        new OutboxDispatcher({
          channel,
          lanes,
          deliverer: this.deliverer,
          rate: new SendRate(this.bucketPool, channel, opts.config.get(RATE_KEY[channel], { infer: true }) as number),
          pollMs: durationMs(opts.config.get('NOTICE_POLL_INTERVAL', { infer: true })),
          now: opts.now,
          log: opts.log,
          onOutcome: opts.onOutcome && ((outcome, atMs) => opts.onOutcome!(channel, outcome, atMs)),
        }),
    );
    this.listener = new OutboxListener(url, (channel) => this.wake(channel), opts.log);
  }

  async run(): Promise<void> {
    if (this.state !== 'INITIALIZED') return;
    this.state = 'RUNNING';
    await this.dataSource.initialize();
    guardPool(this.dataSource);
    await this.listener.start();
    try {
      this.wake(null); // rows that came due while no dispatcher ran
      await Promise.all(this.dispatchers.map((d) => d.run()));
    } finally {
      await this.listener.stop();
      this.deliverer.close();
      await this.bucketPool.end().catch(() => undefined);
      await this.dataSource.destroy().catch(() => undefined);
      this.state = 'STOPPED';
    }
  }

  /** Wakes the dispatcher of `channel`, or all of them. */
  wake(channel: string | null): void {
    for (const d of this.dispatchers) if (channel === null || d.channel === channel) d.wake();
  }

  shutdown(): void {
    if (this.state === 'STOPPING' || this.state === 'STOPPED') return;
    this.state = 'STOPPING';
    for (const d of this.dispatchers) d.shutdown();
  }

  getState(): string {
    return this.state;
  }
}

import type { ConfigService } from '@nestjs/config';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Env } from '../../../libs/config/src';
import { NOTICE_CHANNELS, noticeTaskQueue, type NoticeChannel } from '../../../activities/notices/notice-delivery.contract';
import type { NoticeDeliveryActivities } from '../../../activities/notices/notice-delivery.activities';

const RATE_KEY: Record<NoticeChannel, keyof Env> = {
  email: 'NOTICE_RATE_EMAIL',
  wecom: 'NOTICE_RATE_WECOM',
  dingtalk: 'NOTICE_RATE_DINGTALK',
  webhook: 'NOTICE_RATE_WEBHOOK',
  inbox: 'NOTICE_RATE_INBOX',
};

/**
 * One activity-only worker per notice channel. `maxTaskQueueActivitiesPerSecond` is enforced by the Temporal server
 * for the whole task queue (all worker processes together), so a burst of 2,000 due notices reaches an SMTP server
 * or a WeCom robot no faster than configured, while the other channels keep their own pace.
 */
export async function createNoticeWorkers(opts: {
  connection: NativeConnection;
  namespace: string;
  baseTaskQueue: string;
  config: ConfigService<Env, true>;
  activities: NoticeDeliveryActivities;
  channels?: readonly NoticeChannel[];
}): Promise<Worker[]> {
  const workers: Worker[] = [];
  for (const channel of opts.channels ?? NOTICE_CHANNELS) {
    workers.push(
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
  return workers;
}

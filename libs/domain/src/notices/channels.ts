/** Notice channels and their task queues: pure, so workflow code and the worker share one formula. */

export type NoticeChannel = 'email' | 'wecom' | 'dingtalk' | 'webhook' | 'inbox';

export const NOTICE_CHANNELS: readonly NoticeChannel[] = ['email', 'wecom', 'dingtalk', 'webhook', 'inbox'];

/** Each channel has its own task queue so that its rate limit (Temporal task-queue rate limit) is its own. */
export const noticeTaskQueue = (baseTaskQueue: string, channel: NoticeChannel) => `${baseTaskQueue}-notices-${channel}`;

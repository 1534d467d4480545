import { ConfigService } from '@nestjs/config';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { randomUUID } from 'node:crypto';
import { NoticeDeliveryActivities } from '../../../activities/notices/notice-delivery.activities';
import { createNoticeWorkers } from '../../../apps/worker/src/notice-workers';
import type { TestDatabase } from '../../support/database';
import { createTestWorker, type TestWorker } from '../../support/worker';

/**
 * A small two-stage template stored the way the templates feature stores one, with times relative to the cycle
 * start so a cycle started "now" on the time-skipping server has its first step open at once.
 */
export const cycleTemplateDocument = {
  key: 'it-two-stage',
  name: '学习实践活动（集成测试）',
  referenceYear: 2026,
  timeZone: 'Asia/Shanghai',
  defaults: {
    review: 'office',
    reminders: ['P1D'],
    escalation: [
      { after: 'PT0S', to: 'unit' },
      { after: 'P3D', to: 'parent' },
      { after: 'P7D', to: 'office', bulletin: true },
    ],
  },
  stages: [
    {
      key: 'study',
      title: '学习调研',
      window: { opens: { after: 'PT0S' }, closes: { after: 'P30D' } },
      steps: [{ key: 'study-record', title: '学习交流记录', due: { after: 'P10D' }, deliverables: [{ key: 'record', kind: 'report', title: '学习记录' }] }],
    },
    {
      key: 'analysis',
      title: '分析检查',
      window: { opens: { after: 'P30D' }, closes: { after: 'P60D' } },
      steps: [{ key: 'analysis-report', title: '分析检查报告', due: { after: 'P50D' }, deliverables: [{ key: 'report', kind: 'report', title: '分析检查报告' }] }],
    },
  ],
};

export async function storeTemplate(db: TestDatabase, version = 1, document: object = cycleTemplateDocument): Promise<string> {
  const id = randomUUID();
  await db.query(
    `INSERT INTO campaign_template (id, key, version, name, document, checksum, source) VALUES ($1, $2, $3, $4, $5, $6, 'api')`,
    [id, (document as { key: string }).key, version, (document as { name: string }).name, JSON.stringify(document), `checksum-${id}`],
  );
  return id;
}

/**
 * 党工委 → 党总支 → three branches, plus a university outside the 党总支. No contact channels on purpose: a notice with
 * a recipient schedules a delivery on a channel queue no worker polls here, and a pending activity stops the
 * time-skipping server from skipping (deliveries are the notifications feature's tests).
 */
export const unitTree = [
  { code: 'xh-edu', name: '徐汇区教育党工委', kind: 'office' },
  { code: 'xh-gb1', name: '小学幼教党总支', kind: 'general_branch', parentCode: 'xh-edu' },
  { code: 'xh-k01', name: '第一幼儿园党支部', kind: 'kindergarten', parentCode: 'xh-gb1' },
  { code: 'xh-s01', name: '徐汇中学党支部', kind: 'school', parentCode: 'xh-gb1' },
  { code: 'xh-s02', name: '第二中学党支部', kind: 'school', parentCode: 'xh-gb1' },
  { code: 'xh-u01', name: '上海某大学党委', kind: 'university', parentCode: 'xh-edu' },
];

/** Polls until `accept` holds: the read model is written by activities a moment after each transition. */
export { eventually } from '../../support/eventually';


/**
 * The real worker plus the notice channels' workers, as the worker app hosts them: deliveries complete, so no
 * activity stays pending and the time-skipping server can skip. Returns a stop function.
 */
export async function startWorkers(env: TestWorkflowEnvironment, db: TestDatabase, taskQueue: string, workerEnv: Record<string, string> = {}): Promise<{ worker: TestWorker; stop(): Promise<void> }> {
  const worker = await createTestWorker({ connection: env.nativeConnection, client: env.client, databaseUrl: db.url, taskQueue, env: workerEnv });
  const noticeWorkers = await createNoticeWorkers({
    connection: env.nativeConnection,
    namespace: 'default',
    baseTaskQueue: taskQueue,
    config: worker.nest.get(ConfigService),
    activities: worker.nest.get(NoticeDeliveryActivities, { strict: false }),
  });
  const all = [worker.worker, ...noticeWorkers];
  const running = Promise.all(all.map((w) => w.run()));
  return {
    worker,
    stop: async () => {
      for (const w of all) if (w.getState() === 'RUNNING') w.shutdown();
      await running.catch(() => undefined);
      await worker.close();
    },
  };
}

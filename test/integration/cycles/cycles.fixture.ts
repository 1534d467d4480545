import { insertTemplate } from '../../support/cycle-fixtures';
import type { TestDatabase } from '../../support/database';
import { startTestStack, type TestStack } from '../../support/test-stack';

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
      steps: [
        {
          key: 'study-record',
          title: '学习交流记录',
          due: { after: 'P10D' },
          deliverables: [{ key: 'record', kind: 'report', title: '学习记录' }],
        },
      ],
    },
    {
      key: 'analysis',
      title: '分析检查',
      window: { opens: { after: 'P30D' }, closes: { after: 'P60D' } },
      steps: [
        {
          key: 'analysis-report',
          title: '分析检查报告',
          due: { after: 'P50D' },
          deliverables: [{ key: 'report', kind: 'report', title: '分析检查报告' }],
        },
      ],
    },
  ],
};

/** Stores `document` as version `version` of its template, as the templates feature would; returns the row's id. */
export function storeTemplate(
  db: TestDatabase,
  version = 1,
  document: { key: string; name: string } = cycleTemplateDocument,
): Promise<string> {
  return insertTemplate(db, { key: document.key, name: document.name, version, document });
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

/** A test stack with the template stored (version 1) and the unit tree imported through the api. */
export async function startCycleStack(
  taskQueue: string,
  opts: { template?: { key: string; name: string }; units?: object[]; workers?: boolean } = {},
): Promise<TestStack> {
  const stack = await startTestStack({ taskQueue, workers: opts.workers });
  try {
    await storeTemplate(stack.db, 1, opts.template);
    await stack
      .asOffice()
      .post('/api/units/import')
      .send({ units: opts.units ?? unitTree })
      .expect(200);
    return stack;
  } catch (error) {
    await stack.close();
    throw error;
  }
}

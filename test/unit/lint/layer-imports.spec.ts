import { ESLint } from 'eslint';
import { join } from 'node:path';
import { repoRoot } from '../../support/paths';

/**
 * The layers of docs/ARCHITECTURE.md ("what may import what"), as eslint.config.js enforces them: probes placed in
 * each layer (linted as text, never written) must be refused where they reach upwards and accepted where they don't.
 */
describe('layer import rules', () => {
  const eslint = new ESLint({
    cwd: repoRoot,
    overrideConfigFile: true,
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    baseConfig: require(join(repoRoot, 'eslint.config.js')),
  });
  const refusedLines = async (probePath: string, lines: string[]) => {
    const [result] = await eslint.lintText(lines.join('\n'), { filePath: join(repoRoot, probePath) });
    return result.messages.filter((m) => m.ruleId?.includes('no-restricted-imports')).map((m) => m.line);
  };

  it('keeps libs/domain pure: nothing of ours above it, no frameworks', async () => {
    const lines = [
      "import { Db } from '../../persistence/src/db';",
      "import { envSchema } from '../../config/src';",
      "import { UnitWorkflowGateway } from '../../../apps/api/src/workflow-gateway/unit-workflow.gateway';",
      "import { Injectable } from '@nestjs/common';",
      "import { DateTime } from 'luxon';",
      "import { NOTICE_CHANNELS } from './notices/channels';",
      'export const used = [Db, envSchema, UnitWorkflowGateway, Injectable, DateTime, NOTICE_CHANNELS];',
    ];
    expect(await refusedLines('libs/domain/src/lint-probe.ts', lines)).toEqual([1, 2, 3, 4]);
  });

  it('keeps the other libs below apps, activities and workflows', async () => {
    const lines = [
      "import { collectActivities } from '../../../activities/collect-activities';",
      "import { unitWorkflowId } from '../../../workflows/campaign/types';",
      "import { NOTICE_CHANNELS } from '../../domain/src/notices/channels';",
      'export const used = [collectActivities, unitWorkflowId, NOTICE_CHANNELS];',
    ];
    expect(await refusedLines('libs/persistence/src/lint-probe.ts', lines)).toEqual([1, 2]);
  });

  it('lets the api take types, not code, from activities; and never the worker side from the api', async () => {
    const api = [
      "import { collectActivities } from '../../../activities/collect-activities';",
      "import type { RecordNoticeInput } from '../../../activities/campaign/unit-read-model.activities';",
      "import { planNoticeDeliveries } from '../../../libs/notifications/src/planning/plan-deliveries';",
      'export const used: [unknown, RecordNoticeInput | undefined, unknown] = [collectActivities, undefined, planNoticeDeliveries];',
    ];
    expect(await refusedLines('apps/api/src/lint-probe.ts', api)).toEqual([1]);
    const activities = [
      "import { UnitsService } from '../apps/api/src/units/units.service';",
      'export const used = [UnitsService];',
    ];
    expect(await refusedLines('activities/lint-probe.ts', activities)).toEqual([1]);
  });
});

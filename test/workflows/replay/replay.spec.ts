import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testWorkflowBundle } from '../../support/worker';

/**
 * Replays every committed history through today's workflow bundle: a workflow change that would break running
 * workflows (non-determinism) fails here. Record new histories with `RECORD_HISTORIES=1 npx jest test/workflows/campaign`.
 */
const dir = join(__dirname, 'histories');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort();

describe('replay of recorded workflow histories', () => {
  it('has recorded histories to replay', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s replays without non-determinism', async (file) => {
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    const results = Worker.runReplayHistories({ workflowBundle: testWorkflowBundle(), replayName: file }, [
      { workflowId: file.replace(/\.json$/, ''), history },
    ]);
    for await (const result of results) {
      expect(result.error).toBeUndefined();
    }
  });
});

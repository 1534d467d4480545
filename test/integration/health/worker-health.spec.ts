import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { WorkerHeartbeatRepository } from '../../../libs/persistence/src/repositories/worker-heartbeat.repository';
import { repoRoot } from '../../support/paths';
import { useTestApi } from '../../support/test-stack';

/**
 * /health keeps its contract (200 only when everything is up; `details.database`, `details.temporal`) and adds
 * `details.worker` from the workers' heartbeat rows. Temporal is unreachable here, so the status is 503 throughout;
 * the worker's entry is what is asserted. The worker container's health command reads the same rows.
 */
describe('/health reports the worker (heartbeat rows, real PostgreSQL)', () => {
  const stack = useTestApi();
  const health = async () => (await request(stack.api.getHttpServer()).get('/health').expect(503)).body;

  const healthcheck = () =>
    spawnSync(
      process.execPath,
      [
        '-r',
        join(repoRoot, 'test', 'integration', 'notifications', 'support', 'swc-register.js'),
        join(repoRoot, 'apps', 'worker', 'src', 'healthcheck.ts'),
      ],
      {
        env: { PATH: process.env.PATH, DATABASE_URL: stack.db.url },
        encoding: 'utf8',
      },
    );

  it('says "worker down" when no worker ever beat, up with the count after a beat, down again once the beat is stale', async () => {
    const before = await health();
    expect(before.details.database).toEqual({ status: 'up' });
    expect(before.details.worker).toEqual({
      status: 'down',
      message: 'worker down: no worker has reported for 20 s (last heartbeat: never)',
      lastBeatAt: null,
    });
    expect(healthcheck().status).toBe(1);

    await new WorkerHeartbeatRepository(stack.db.dataSource).beat('campaigns');
    const up = await health();
    expect(up.details.worker).toEqual({ status: 'up', workers: 1, lastBeatAt: expect.any(String) });
    expect(up.info.worker.status).toBe('up');
    const check = healthcheck();
    expect(check.stderr).toBe('');
    expect(check.stdout).toContain(`worker on ${os.hostname()}: up`);
    expect(check.status).toBe(0);

    await stack.db.query(`UPDATE worker_heartbeat SET beat_at = now() - interval '21 seconds'`);
    const [{ at }] = await stack.db.query(`SELECT beat_at AS at FROM worker_heartbeat`);
    expect((await health()).details.worker).toEqual({
      status: 'down',
      message: `worker down: no worker has reported for 20 s (last heartbeat: ${at.toISOString()})`,
      lastBeatAt: at.toISOString(),
    });
    expect(healthcheck().status).toBe(1);
  });
});

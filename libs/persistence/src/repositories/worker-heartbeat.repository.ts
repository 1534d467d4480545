import { Inject, Injectable } from '@nestjs/common';
import os from 'node:os';
import { Db } from '../db';
import type { Queryable } from '../queryable';
import { HEARTBEAT_STALE_MS, heartbeatInstanceId, type WorkerLiveness } from '../worker-heartbeat';

interface LivenessRow {
  alive: number;
  lastBeatAt: Date | string | null;
}

/**
 * The `worker_heartbeat` table (libs/persistence/src/worker-heartbeat.ts says what the beats mean). On the connection
 * it is given: Db in the worker, the health check's own connection in the api, a bare pg client in the container's
 * health command.
 */
@Injectable()
export class WorkerHeartbeatRepository {
  constructor(@Inject(Db) private readonly db: Queryable) {}

  async beat(taskQueue: string): Promise<void> {
    await this.db.query(
      `INSERT INTO worker_heartbeat (instance_id, host, pid, task_queue) VALUES ($1, $2, $3, $4)
       ON CONFLICT (instance_id) DO UPDATE SET beat_at = now()`,
      [heartbeatInstanceId(), os.hostname(), process.pid, taskQueue],
    );
    // Rows of processes long gone (restarts give new pids) are kept a day for the record, then dropped.
    await this.db.query(`DELETE FROM worker_heartbeat WHERE beat_at < now() - interval '1 day'`);
  }

  /** This process stops beating (a clean shutdown): /health need not wait for the row to go stale. */
  async end(): Promise<void> {
    await this.db.query(`DELETE FROM worker_heartbeat WHERE instance_id = $1`, [heartbeatInstanceId()]);
  }

  /** `host`: only that host's workers (a container checking itself). */
  async liveness(host?: string): Promise<WorkerLiveness> {
    const [row]: LivenessRow[] = await this.db.query(
      `SELECT count(*) FILTER (WHERE beat_at > now() - make_interval(secs => $1))::int AS alive, max(beat_at) AS "lastBeatAt"
         FROM worker_heartbeat WHERE $2::text IS NULL OR host = $2`,
      [HEARTBEAT_STALE_MS / 1000, host ?? null],
    );
    return { alive: row.alive, lastBeatAt: row.lastBeatAt ? new Date(row.lastBeatAt) : null };
  }
}

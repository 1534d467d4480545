/**
 * Worker heartbeats (table worker_heartbeat): every worker process writes its row every HEARTBEAT_INTERVAL_MS while
 * its Temporal worker is running. The api's /health reports "worker down" when no row is fresher than
 * HEARTBEAT_STALE_MS, and the worker container's health check looks for its own host's row. Times are the
 * database's (now()), so clocks of different hosts never disagree.
 */
import os from 'node:os';

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Three missed beats plus slack: a worker killed with -9 shows as down within this. */
export const HEARTBEAT_STALE_MS = 20_000;

/** A TypeORM DataSource / EntityManager, or anything whose query() resolves to the rows. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any>;
}

export const heartbeatInstanceId = (host = os.hostname(), pid = process.pid) => `${host}/${pid}`;

export async function beat(db: Queryable, taskQueue: string): Promise<void> {
  await db.query(
    `INSERT INTO worker_heartbeat (instance_id, host, pid, task_queue) VALUES ($1, $2, $3, $4)
     ON CONFLICT (instance_id) DO UPDATE SET beat_at = now()`,
    [heartbeatInstanceId(), os.hostname(), process.pid, taskQueue],
  );
  // Rows of processes long gone (restarts give new pids) are kept a day for the record, then dropped.
  await db.query(`DELETE FROM worker_heartbeat WHERE beat_at < now() - interval '1 day'`);
}

export async function endHeartbeat(db: Queryable): Promise<void> {
  await db.query(`DELETE FROM worker_heartbeat WHERE instance_id = $1`, [heartbeatInstanceId()]);
}

export interface WorkerLiveness {
  /** Worker processes with a fresh heartbeat. */
  alive: number;
  /** The newest heartbeat of any worker, or null if none ever beat (within the last day). */
  lastBeatAt: Date | null;
}

/** `host`: only that host's workers (a container checking itself). */
export async function workerLiveness(db: Queryable, host?: string): Promise<WorkerLiveness> {
  const [row] = await db.query(
    `SELECT count(*) FILTER (WHERE beat_at > now() - make_interval(secs => $1))::int AS alive, max(beat_at) AS "lastBeatAt"
       FROM worker_heartbeat WHERE $2::text IS NULL OR host = $2`,
    [HEARTBEAT_STALE_MS / 1000, host ?? null],
  );
  return { alive: row.alive, lastBeatAt: row.lastBeatAt ? new Date(row.lastBeatAt) : null };
}

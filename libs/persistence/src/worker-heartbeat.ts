/**
 * Worker heartbeats (table worker_heartbeat, written and read by WorkerHeartbeatRepository): every worker process
 * writes its row every HEARTBEAT_INTERVAL_MS while its Temporal worker is running. The api's /health reports "worker
 * down" when no row is fresher than HEARTBEAT_STALE_MS, and the worker container's health check looks for its own
 * host's row. Times are the database's (now()), so clocks of different hosts never disagree.
 */
import os from 'node:os';

export const HEARTBEAT_INTERVAL_MS = 5_000;
/** Three missed beats plus slack: a worker killed with -9 shows as down within this. */
export const HEARTBEAT_STALE_MS = 20_000;

export const heartbeatInstanceId = (host = os.hostname(), pid = process.pid) => `${host}/${pid}`;

export interface WorkerLiveness {
  /** Worker processes with a fresh heartbeat. */
  alive: number;
  /** The newest heartbeat of any worker, or null if none ever beat (within the last day). */
  lastBeatAt: Date | null;
}

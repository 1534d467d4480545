/**
 * The worker container's health check (docker-compose.yml): exits 0 when a worker process on this host (the
 * container) wrote its heartbeat within HEARTBEAT_STALE_MS, 1 otherwise. The worker has no HTTP port; the heartbeat
 * row is written only while its Temporal worker runs, so this also catches a process that lives but polls nothing.
 *   node dist/apps/worker/src/healthcheck.js
 */
import os from 'node:os';
import { Client, type QueryResultRow } from 'pg';
import type { Queryable } from '../../../libs/persistence/src/queryable';
import { WorkerHeartbeatRepository } from '../../../libs/persistence/src/repositories/worker-heartbeat.repository';

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is not set\n');
    return 1;
  }
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000, statement_timeout: 3000 });
  await client.connect();
  try {
    // The repository expects rows back, as TypeORM's query() gives them.
    const rows: Queryable = {
      query: async <T>(sql: string, params?: unknown[]) => (await client.query<T & QueryResultRow>(sql, params)).rows,
    };
    const { alive, lastBeatAt } = await new WorkerHeartbeatRepository(rows).liveness(os.hostname());
    process.stdout.write(
      `worker on ${os.hostname()}: ${alive ? 'up' : 'down'} (last heartbeat ${lastBeatAt?.toISOString() ?? 'never'})\n`,
    );
    return alive ? 0 : 1;
  } finally {
    await client.end();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`worker health check failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);

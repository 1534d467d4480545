import { Client } from 'pg';
import {
  OUTBOX_LISTEN_SQL,
  OUTBOX_NOTIFY_CHANNEL,
} from '../../libs/persistence/src/repositories/notice-delivery.repository';

const RECONNECT_MS = [1000, 2000, 5000, 10_000, 30_000];

/**
 * Hears the outbox's pg_notify (recordNotice, an evaluation reminder, an admin's retry) on one dedicated connection
 * and tells which channel has new work. When the connection breaks (PostgreSQL restarting) it reconnects with
 * backoff and then reports every channel, since notifications sent meanwhile are lost; the dispatchers' slow poll
 * covers the gap.
 */
export class OutboxListener {
  private client?: Client;
  private stopped = false;
  private failures = 0;
  private retry?: NodeJS.Timeout;

  constructor(
    private readonly databaseUrl: string,
    private readonly onWork: (channel: string | null) => void,
    private readonly log?: { warn(message: string): void },
  ) {}

  /** Resolves once listening (or, if the database is unreachable now, once the first attempt failed). */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({ connectionString: this.databaseUrl });
    client.on('notification', (n) => n.channel === OUTBOX_NOTIFY_CHANNEL && this.onWork(n.payload ?? null));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(OUTBOX_LISTEN_SQL);
      this.client = client;
      if (this.failures > 0) this.onWork(null);
      this.failures = 0;
    } catch (error) {
      this.lost(client, error as Error);
    }
  }

  private lost(client: Client, error?: Error): void {
    if (this.stopped || (this.client && this.client !== client)) return;
    if (this.client === client) this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    client.end().catch(() => undefined);
    if (this.retry) return;
    this.log?.warn(`outbox listener: ${error?.message ?? 'connection ended'}; listening again shortly`);
    const delay = RECONNECT_MS[Math.min(this.failures++, RECONNECT_MS.length - 1)];
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.connect();
    }, delay);
  }
}

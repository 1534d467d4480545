import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager } from 'typeorm';

interface OpenTransaction {
  manager: EntityManager;
  /** false once the transaction has ended (a promise started inside it may outlive it). */
  open: boolean;
}

const current = new AsyncLocalStorage<OpenTransaction>();

/** Thrown when code asks the pool for a connection while its own transaction holds one: under load that deadlocks. */
export class SecondConnectionError extends Error {
  constructor() {
    super(
      'a second pool connection was requested while this request holds one in an open transaction; use Db (or the transaction manager) for every query inside the transaction',
    );
    this.name = 'SecondConnectionError';
  }
}

/**
 * The data-access discipline (docs/RELIABILITY.md, "Data access under load"): a request uses at most one pooled
 * connection at a time. Inside `transaction(...)`, every `query` made through this service — from any service the
 * transaction's code calls — runs on the transaction's own connection, found through AsyncLocalStorage. A nested
 * `transaction` joins the open one. Code that bypasses it (DataSource.query inside a transaction) gets a
 * SecondConnectionError from the pool guard instead of waiting for a connection that may never come.
 */
@Injectable()
export class Db {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The open transaction's manager in this async context, else the pool's. */
  get manager(): EntityManager {
    const tx = current.getStore();
    return tx?.open ? tx.manager : this.dataSource.manager;
  }

  get inTransaction(): boolean {
    return current.getStore()?.open === true;
  }

  /** TypeORM answers `any`; here the rows take the type the caller (a repository) names. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]> {
    return this.manager.query<T[]>(sql, params);
  }

  /** One transaction on one connection; nested calls join it. Never await Temporal (or anything slow) inside. */
  transaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    const open = current.getStore();
    if (open?.open) return work(open.manager);
    return this.dataSource.transaction(async (manager) => {
      const tx: OpenTransaction = { manager, open: true };
      try {
        return await current.run(tx, () => work(manager));
      } finally {
        tx.open = false;
      }
    });
  }
}

/**
 * Installs the guard on the pool of the app's DataSource: an acquire made while the same async context holds a
 * connection in an open transaction throws SecondConnectionError at once.
 */
@Injectable()
export class PoolGuard implements OnModuleInit {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  onModuleInit(): void {
    guardPool(this.dataSource);
  }
}

export function guardPool(dataSource: DataSource): void {
  const pool = (
    dataSource.driver as unknown as { master?: { connect: (...args: unknown[]) => unknown; __guarded?: boolean } }
  ).master;
  if (!pool || pool.__guarded) return;
  const connect = pool.connect.bind(pool);
  pool.connect = (...args: unknown[]) => {
    if (current.getStore()?.open) {
      const error = new SecondConnectionError();
      const callback = args.find((a) => typeof a === 'function') as ((e: Error) => void) | undefined;
      if (callback) return void callback(error);
      return Promise.reject(error);
    }
    return connect(...args);
  };
  pool.__guarded = true;
}

/** SQLSTATEs and pg-pool messages that mean "the database is busy right now", not "the request is wrong". */
const BUSY_SQLSTATES = new Set([
  '57014' /* statement_timeout */,
  '55P03' /* lock_not_available */,
  '25P03' /* idle_in_transaction timeout */,
  '53300' /* too_many_connections */,
  '57P01' /* admin_shutdown */,
]);

/** True for errors a retry after a moment can cure: pool acquire timeout, statement timeout, lock timeout, … */
export function isDatabaseBusy(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code =
    (error as { code?: string; driverError?: { code?: string } }).driverError?.code ??
    (error as { code?: string }).code;
  if (code && BUSY_SQLSTATES.has(code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated due to connection timeout|Connection terminated unexpectedly/.test(
    error.message,
  );
}

import { DataSource } from 'typeorm';
import { Db, guardPool, isDatabaseBusy, SecondConnectionError } from '../../../libs/persistence/src/db';
import { dataSourceOptions } from '../../../libs/persistence/src/data-source-options';
import { createTestDatabase, TestDatabase } from '../../support/database';

/**
 * The data-access discipline by construction (real PostgreSQL): inside Db.transaction every Db query runs on the
 * transaction's connection (a pool of ONE connection is enough for nested services), and a query that bypasses Db
 * is refused at once by the pool guard instead of waiting for a second connection.
 */
describe('Db: one connection per request', () => {
  let tdb: TestDatabase;
  let ds: DataSource;
  let db: Db;

  beforeAll(async () => {
    tdb = await createTestDatabase();
    ds = await new DataSource(
      dataSourceOptions(tdb.url, 1, { acquireTimeoutMs: 500, statementTimeoutMs: 1_000 }),
    ).initialize();
    guardPool(ds);
    db = new Db(ds);
  });
  afterAll(async () => {
    await ds?.destroy();
    await tdb?.drop();
  });

  const backendPid = async () => (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0].pid;

  it('runs every query of a transaction, nested ones included, on its one connection', async () => {
    const pids = await db.transaction(async () => {
      const inner = await db.transaction(() => backendPid()); // a service calling another joins the transaction
      const [outer, other] = await Promise.all([backendPid(), backendPid()]);
      return [inner, outer, other];
    });
    expect(new Set(pids).size).toBe(1);
  });

  it('refuses a second pool connection inside a transaction at once, instead of waiting (the old wedge)', async () => {
    const started = Date.now();
    const attempt = db.transaction(() => ds.query('SELECT 1'));
    await expect(attempt).rejects.toBeInstanceOf(SecondConnectionError);
    expect(Date.now() - started).toBeLessThan(400); // not the 500 ms acquire timeout
    // outside a transaction the pool is used as usual
    expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
  });

  it('reports a busy pool and a statement timeout as "busy" (503 with Retry-After in the api)', async () => {
    let holding!: () => void;
    const holds = new Promise<void>((r) => (holding = r));
    const held = db.transaction(() => {
      holding();
      return new Promise((r) => setTimeout(r, 1_500));
    });
    await holds; // the only connection is taken
    const acquire = await ds.query('SELECT 1').catch((e: Error) => e);
    expect(isDatabaseBusy(acquire)).toBe(true);
    await held;
    const slow = await ds.query('SELECT pg_sleep(2)').catch((e: Error) => e);
    expect(isDatabaseBusy(slow)).toBe(true);
    expect(isDatabaseBusy(new Error('syntax error'))).toBe(false);
  });
});

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../libs/persistence/src/data-source-options';

export interface TestDatabase {
  url: string;
  /** A TypeORM DataSource on the database, for arranging rows and asserting them. */
  dataSource: DataSource;
  query<T = any>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh, migrated database for one test file: a copy of the template made by global-setup. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL!;
  const name = `campaigns_test_${randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${process.env.TEST_DATABASE_TEMPLATE}`);
  await admin.end();
  const url = withDatabase(adminUrl, name);
  const dataSource = await new DataSource(dataSourceOptions(url, 4)).initialize();
  return {
    url,
    dataSource,
    query: (sql, params) => dataSource.query(sql, params as any[]),
    drop: async () => {
      await dataSource.destroy();
      const a = new Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

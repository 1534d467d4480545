import { rmSync } from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown() {
  const admin = new Client({ connectionString: process.env.TEST_DATABASE_ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${process.env.TEST_DATABASE_TEMPLATE}`);
  await admin.end();
  await (globalThis as any).__embeddedPg?.stop();
  if (process.env.TEST_WORK_DIR) rmSync(process.env.TEST_WORK_DIR, { recursive: true, force: true });
}

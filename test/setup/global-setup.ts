import { bundleWorkflowCode } from '@temporalio/worker';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { runMigrations } from '../../libs/persistence/src/migrate';
import { repoRoot, temporalTestServerBin } from '../support/paths';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startEmbeddedPostgres, freePort } = require('../../scripts/lib/embedded-pg');

/**
 * Once per `jest` run: a real PostgreSQL (embedded in a temp dir, or the server of DATABASE_URL) with a
 * migrated template database that each test file clones, and one workflow bundle shared by all workflow tests.
 */
export default async function globalSetup() {
  if (!existsSync(temporalTestServerBin)) {
    throw new Error(
      `${temporalTestServerBin} is missing: run the tests with \`npm test\` (it installs the Temporal test server)`,
    );
  }
  const state: Record<string, string> = {};
  const workDir = mkdtempSync(join(tmpdir(), 'campaigns-test-'));
  state.workDir = workDir;

  let adminUrl: string;
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    const pg = await startEmbeddedPostgres({ dir: join(workDir, 'pg'), port: await freePort(), persistent: false });
    (globalThis as any).__embeddedPg = pg;
    adminUrl = pg.adminUrl;
  }
  const template = `campaigns_test_tpl_${process.pid}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${template}`);
  await admin.query(`CREATE DATABASE ${template}`);
  await admin.end();
  await runMigrations(withDatabase(adminUrl, template));

  // A workflow that fails to bundle fails the workflow tests (with this error), not every other test.
  const bundlePath = join(workDir, 'workflow-bundle.js');
  try {
    const { code } = await bundleWorkflowCode({
      workflowsPath: join(repoRoot, 'workflows', 'index.ts'),
      logger: { info() {}, debug() {}, trace() {}, log() {}, warn: console.warn, error: console.error },
    });
    writeFileSync(bundlePath, code);
  } catch (error) {
    process.env.TEST_WORKFLOW_BUNDLE_ERROR = (error as Error).message;
  }

  process.env.TEST_DATABASE_ADMIN_URL = adminUrl;
  process.env.TEST_DATABASE_TEMPLATE = template;
  process.env.TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TEST_WORK_DIR = workDir;
}

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { repoRoot } from '../../support/paths';

/** test-artifacts/browser/ (git-ignored; CI keeps it as the run's artefacts). */
export const ARTIFACTS_DIR = join(repoRoot, 'test-artifacts', 'browser');

/** A full-page screenshot under test-artifacts/browser/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const file = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

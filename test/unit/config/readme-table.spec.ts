import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema, launcherVariables } from '../../../libs/config/src/env.schema';
import { withConfigurationTable } from '../../../libs/config/src/config-table';
import { repoRoot } from '../../support/paths';

describe('README configuration table', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

  it('is the one generated from the schema (run `npm run build && npm run docs:config` after changing it)', () => {
    expect(readme).toBe(withConfigurationTable(readme));
  });

  it('lists every variable the apps and the launcher read', () => {
    for (const key of [...Object.keys(envSchema.shape), ...Object.keys(launcherVariables)]) {
      expect(readme).toContain(`| \`${key}\` |`);
    }
  });
});

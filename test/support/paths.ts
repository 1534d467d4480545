import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const temporalTestServerBin = join(repoRoot, '.tools', 'bin', 'temporal-test-server');
export const temporalCliBin = join(repoRoot, '.tools', 'bin', 'temporal');

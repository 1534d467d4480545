import 'reflect-metadata';
import { loadConfigOrExit } from '../../../libs/config/src';
import { createApiApp } from './bootstrap';

async function main() {
  const env = loadConfigOrExit('api');
  const app = await createApiApp();
  await app.listen(env.API_PORT, env.API_HOST);
}

main().catch((error) => {
  process.stderr.write(`api: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

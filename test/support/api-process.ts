/**
 * The real api as its own process, for tests that measure it under load (test/support/api-stack.ts spawns it with
 * `apiProcess: true`): configured by the environment as under `npm start`, listening on a free port of 127.0.0.1,
 * which it reports as one JSON line on stdout (`{"port":1234}`). Run with the swc register hook, no build step.
 */
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { createApiApp } from '../../apps/api/src/bootstrap';

async function main(): Promise<void> {
  const app = await createApiApp();
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `api-process: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { Logger } from 'nestjs-pino';
import { loadConfigOrExit } from '../../../libs/config/src';
import { WorkerModule } from './worker.module';

async function main() {
  loadConfigOrExit('worker');
  // Nest owns the signals: its shutdown hooks drain the worker in order, then close the database pool.
  Runtime.install({ shutdownSignals: [] });
  const app = await NestFactory.createApplicationContext(WorkerModule, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
}

main().catch((error) => {
  process.stderr.write(`worker: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

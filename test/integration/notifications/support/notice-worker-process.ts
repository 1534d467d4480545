/**
 * A separate worker process for the exactly-once test: the real Nest context with the real NoticeWorkersService
 * (the per-channel notice workers apps/worker hosts), configured only by environment variables — including
 * NOTICE_FAULT_INJECTION, which SIGKILLs this process at a chosen point of an e-mail delivery.
 *
 *   node -r ./test/integration/notifications/support/swc-register.js test/integration/notifications/support/notice-worker-process.ts
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Runtime } from '@temporalio/worker';
import { ActivitiesModule } from '../../../../activities/activities.module';
import { NoticeWorkersService } from '../../../../apps/worker/src/notice-workers.service';
import { AppConfigModule, structuredLogger } from '../../../../libs/config/src';
import { PersistenceModule } from '../../../../libs/persistence/src';
import { TemporalClientModule } from '../../../../libs/temporal/src';

@Module({
  imports: [AppConfigModule, structuredLogger('worker'), PersistenceModule, TemporalClientModule, ActivitiesModule],
  providers: [NoticeWorkersService],
})
class NoticeWorkerProcessModule {}

async function main() {
  Runtime.install({ shutdownSignals: [] });
  const app = await NestFactory.createApplicationContext(NoticeWorkerProcessModule, { logger: false });
  app.enableShutdownHooks(['SIGINT', 'SIGTERM']);
  process.stdout.write('notice-worker-ready\n');
}

main().catch((error) => {
  process.stderr.write(`notice worker process failed: ${(error as Error).stack}\n`);
  process.exit(1);
});

/**
 * The bare baseline of bench/api-rush.ts, a process of its own beside the api: a minimal NestJS app on the same
 * express platform with the api's own persistence module (the same TypeORM pool: DATABASE_POOL_SIZE, acquire and
 * statement timeouts from the same environment) and one route, `GET /bare`, that runs `SELECT 1` through Db. No auth,
 * no validation, no logging, no Temporal: what a request costs before any of our code runs. Reports its port as a
 * `{"port":1234}` line on stdout.
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AddressInfo } from 'node:net';
import { AppConfigModule } from '../libs/config/src';
import { Db, PersistenceModule } from '../libs/persistence/src';

@Controller()
class BareController {
  constructor(private readonly db: Db) {}

  @Get('bare')
  async bare(): Promise<{ one: number }> {
    const [row] = await this.db.query<{ one: number }>('SELECT 1 AS one');
    return row;
  }
}

@Module({ imports: [AppConfigModule, PersistenceModule], controllers: [BareController] })
class BareModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(BareModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`${JSON.stringify({ port: (app.getHttpServer().address() as AddressInfo).port })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `api-rush-baseline: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});

import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Connection } from '@temporalio/client';
import type { Env } from '../../config/src';

export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');
export const InjectTemporalClient = () => Inject(TEMPORAL_CLIENT);

/** Closes the lazily opened gRPC connection when the app stops. */
@Injectable()
class TemporalConnectionCloser implements OnApplicationShutdown {
  constructor(@InjectTemporalClient() private readonly client: Client) {}
  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close().catch(() => undefined);
  }
}

/**
 * The Temporal client for the api (and for activities that start or signal workflows).
 * The connection is lazy so the api starts, and reports Temporal as down in /health, while the cluster is unreachable.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Env, true>) =>
        new Client({
          connection: Connection.lazy({ address: config.get('TEMPORAL_ADDRESS', { infer: true }) }),
          namespace: config.get('TEMPORAL_NAMESPACE', { infer: true }),
        }),
    },
    TemporalConnectionCloser,
  ],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalClientModule {}

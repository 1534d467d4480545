import { RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { ConfigService } from '@nestjs/config';
import type { Env } from './env.schema';

/** Structured JSON logs (pino) for both processes; `name` tells api and worker lines apart. */
export function structuredLogger(name: 'api' | 'worker') {
  return LoggerModule.forRootAsync({
    inject: [ConfigService],
    useFactory: (config: ConfigService<Env, true>) => ({
      // Named wildcard: Nest 11's router rejects the bare '*' nestjs-pino uses by default.
      forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      pinoHttp: {
        name,
        level: config.get('LOG_LEVEL', { infer: true }),
        autoLogging: { ignore: (req) => req.url === '/health' },
        redact: ['req.headers.authorization', 'req.headers.cookie'],
      },
    }),
  });
}

export * from './env.schema';
export * from './config.module';
export * from './load-or-exit';
export * from './logger';

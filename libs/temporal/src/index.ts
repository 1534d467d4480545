export * from './temporal.module';
export * from './temporal.health';

export * from './entities';
export * from './migrations';
export * from './data-source-options';
export * from './migrate';
export * from './persistence.module';
export * from './db';
export * from './progress-cells';

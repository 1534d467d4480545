export * from './errors';
export * from './plan/unit-plan';

export * from './errors';
export * from './plan/unit-plan';
export * from './units/unit-kind';

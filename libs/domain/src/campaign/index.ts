/** The unit workflow's data contract: state names, event kinds with their details, rectification item keys. */
export * from './statuses';
export * from './unit-events';
export * from './item-key';

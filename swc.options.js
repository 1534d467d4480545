'use strict';
// The one TypeScript → CommonJS transform for code run from source: Jest (jest.config.js) and child processes that
// tests start without a build (test/integration/notifications/support/swc-register.js). Decorator metadata is on
// because Nest's dependency injection reads it.
module.exports = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

import { durationToSeconds, resolveJwtSecret } from '../../../apps/api/src/auth/jwt-secret';
import { derivedUuid } from '../../../apps/api/src/idempotency/idempotency.service';
import { ConfigurationError } from '../../../libs/config/src/env.schema';

describe('JWT secret and token lifetime', () => {
  it('requires JWT_SECRET in production, naming the variable', () => {
    expect(() => resolveJwtSecret({ NODE_ENV: 'production', JWT_SECRET: undefined })).toThrow(ConfigurationError);
    expect(() => resolveJwtSecret({ NODE_ENV: 'production', JWT_SECRET: undefined })).toThrow(
      'JWT_SECRET: is required in production (unset)',
    );
    expect(resolveJwtSecret({ NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) })).toBe('s'.repeat(40));
  });

  it('uses a random secret per process in development and test', () => {
    const a = resolveJwtSecret({ NODE_ENV: 'development', JWT_SECRET: undefined });
    const b = resolveJwtSecret({ NODE_ENV: 'test', JWT_SECRET: undefined });
    expect(a).toHaveLength(64);
    expect(a).not.toBe(b);
  });

  it('converts durations to whole seconds', () => {
    expect(['8h', '30m', '45s', '1500ms'].map(durationToSeconds)).toEqual([28_800, 1_800, 45, 1]);
  });
});

describe('derivedUuid', () => {
  it('is stable for the same parts, different otherwise, and UUID-shaped (version 8)', () => {
    const a = derivedUuid('submission-version', 'user', 'key-1', 'sub');
    expect(derivedUuid('submission-version', 'user', 'key-1', 'sub')).toBe(a);
    expect(derivedUuid('submission-version', 'user', 'key-2', 'sub')).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

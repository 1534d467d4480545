import { Logger } from '@nestjs/common';
import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { ConfigurationError, type Env } from '../../../../libs/config/src';

/**
 * JWT_SECRET is required in production. In development and test a random secret per process is acceptable:
 * tokens then only live as long as the process, which is what a developer restarting the api expects — and no
 * well-known default secret can leak into a deployment.
 */
export function resolveJwtSecret(env: Pick<Env, 'NODE_ENV' | 'JWT_SECRET'>): string {
  if (env.JWT_SECRET) return env.JWT_SECRET;
  if (env.NODE_ENV === 'production') throw new ConfigurationError(['JWT_SECRET: is required in production (unset)']);
  new Logger('Auth').warn(
    'JWT_SECRET is unset: using a random per-process secret; login tokens stop working when the api restarts',
  );
  return randomBytes(48).toString('base64url');
}

/**
 * The secret as the KeyObject jsonwebtoken signs and verifies with. Given a string instead, jsonwebtoken first tries
 * to parse it as a PEM public key (which throws) and then derives a KeyObject, on every request; built once here.
 */
export function jwtSigningKey(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret));
}

/** '8h' → 28800 seconds (the duration format of env.schema.ts). */
export function durationToSeconds(value: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(value);
  if (!m) throw new Error(`bad duration ${value}`);
  const n = Number(m[1]);
  return Math.max(1, Math.floor({ ms: n / 1000, s: n, m: n * 60, h: n * 3600 }[m[2] as 'ms' | 's' | 'm' | 'h']));
}

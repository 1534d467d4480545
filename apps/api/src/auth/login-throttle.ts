import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { RateLimiterPostgres } from 'rate-limiter-flexible';
import { DataSource } from 'typeorm';

/** Wrong passwords for one account from one address that are checked at full speed before the delays start. */
export const LOGIN_FREE_FAILURES = 5;
/** The delay doubles with every further failure (1 s, 2 s, 4 s, …) up to this many seconds. */
export const LOGIN_MAX_DELAY_SECONDS = 15 * 60;
/** Failures from one address over all accounts (password spraying) before that address waits an hour. */
export const LOGIN_ADDRESS_FAILURES_PER_HOUR = 100;

/** 429 with the seconds to wait; the controller copies them into a Retry-After header. */
export class LoginThrottledError extends HttpException {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super({ statusCode: 429, error: 'TOO_MANY_REQUESTS', message, details: [] }, HttpStatus.TOO_MANY_REQUESTS);
  }
}

/**
 * Login throttling by account AND source address, with growing delays instead of a lock.
 *
 * Keyed by (e-mail, address), an attacker guessing from its addresses only slows itself down: the real user, from
 * its own address, still signs in (a lock per e-mail would let anyone lock out anyone, office admins included). A
 * second limiter per address alone caps password spraying over many accounts.
 *
 * rate-limiter-flexible's PostgreSQL store (table login_throttle, created by migration) rather than memory: the
 * counters hold across api restarts and across several api processes, and need no extra service such as Redis.
 * Each check is one short statement on the shared pool, never inside a transaction.
 */
@Injectable()
export class LoginThrottle {
  private readonly failures: RateLimiterPostgres;
  private readonly delays: RateLimiterPostgres;
  private readonly addresses: RateLimiterPostgres;

  constructor(@InjectDataSource() db: DataSource) {
    const store = { storeClient: db, storeType: 'typeorm', tableName: 'login_throttle', tableCreated: true };
    // Counts consecutive failures (never refuses by itself); a success at that address resets it.
    this.failures = new RateLimiterPostgres({
      ...store,
      keyPrefix: 'fail',
      points: Number.MAX_SAFE_INTEGER,
      duration: 24 * 3600,
      clearExpiredByTimeout: true,
    });
    // Holds the current delay as a block of the computed length.
    this.delays = new RateLimiterPostgres({ ...store, keyPrefix: 'wait', points: 1, duration: 1 });
    this.addresses = new RateLimiterPostgres({
      ...store,
      keyPrefix: 'addr',
      points: LOGIN_ADDRESS_FAILURES_PER_HOUR,
      duration: 3600,
      blockDuration: 3600,
    });
  }

  /** Refuses (429) while the address waits for this account, or for every account. Checked before the password. */
  async assertMayTry(email: string, ip: string | null): Promise<void> {
    const [wait, address] = await Promise.all([
      this.delays.get(accountAtAddress(email, ip)),
      this.addresses.get(addressKey(ip)),
    ]);
    if (address && address.consumedPoints > LOGIN_ADDRESS_FAILURES_PER_HOUR) {
      throw refused(address.msBeforeNext, 'too many failed logins from this address');
    }
    if (wait && wait.consumedPoints > 1)
      throw refused(wait.msBeforeNext, 'too many failed logins from this address for this account');
  }

  /** A wrong password: from the LOGIN_FREE_FAILURES-th on, the next try waits 1 s, then 2 s, 4 s, … */
  async recordFailure(email: string, ip: string | null): Promise<void> {
    const key = accountAtAddress(email, ip);
    const [counted] = await Promise.all([
      this.failures.consume(key),
      this.addresses.consume(addressKey(ip)).catch(() => undefined),
    ]);
    const beyond = counted.consumedPoints - LOGIN_FREE_FAILURES;
    if (beyond >= 0) await this.delays.block(key, Math.min(2 ** beyond, LOGIN_MAX_DELAY_SECONDS));
  }

  async recordSuccess(email: string, ip: string | null): Promise<void> {
    const key = accountAtAddress(email, ip);
    await Promise.all([this.failures.delete(key), this.delays.delete(key)]);
  }
}

// Hashed: the table's key is varchar(255) and e-mails are up to 254 characters; it also keeps e-mails out of it.
const digest = (text: string) => createHash('sha256').update(text).digest('base64url');
const accountAtAddress = (email: string, ip: string | null) => digest(`${email.trim().toLowerCase()}|${ip ?? '?'}`);
const addressKey = (ip: string | null) => digest(ip ?? '?');

function refused(msBeforeNext: number, why: string): LoginThrottledError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new LoginThrottledError(seconds, `${why}: wait ${seconds} s`);
}

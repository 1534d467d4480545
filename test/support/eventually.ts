import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  /** Give up after this long (default 20 s). */
  timeoutMs?: number;
  /** Pause between probes (default 100 ms). */
  intervalMs?: number;
  /** A probe that rejects counts as "not yet" (a process still starting up) instead of failing the wait. */
  tolerateErrors?: boolean;
}

/**
 * Polls `probe` until `accept` holds and returns that value; throws with the last value (or error) once the
 * timeout has passed. The third argument is the timeout in ms, or PollOptions.
 */
export async function eventually<T>(
  probe: () => Promise<T>,
  accept: (v: T) => boolean,
  options: number | PollOptions = {},
): Promise<T> {
  const {
    timeoutMs = 20_000,
    intervalMs = 100,
    tolerateErrors = false,
  } = typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let last: { value: T } | { error: unknown };
    try {
      const value = await probe();
      if (accept(value)) return value;
      last = { value };
    } catch (error) {
      if (!tolerateErrors) throw error;
      last = { error };
    }
    if (Date.now() > deadline) throw new Error(`not reached in ${timeoutMs} ms; last: ${describe(last)}`);
    await sleep(intervalMs);
  }
}

function describe(last: { value: unknown } | { error: unknown }): string {
  if ('error' in last) return `error: ${String(last.error)}`;
  try {
    return JSON.stringify(last.value, null, 1);
  } catch {
    return String(last.value);
  }
}

/**
 * When a transiently failing delivery is tried again: 30 s, 1 min, 2 min … capped at 1 h. One policy for both roads a
 * delivery takes — the outbox dispatcher (next_attempt_at) and the deliverNotice activity of runs recorded before it
 * (the Temporal retry policy in workflows/notices/notice-delivery.options.ts). Pure, so workflow code may import it.
 */
export const DELIVERY_RETRY = { initialMs: 30_000, coefficient: 2, maximumMs: 3_600_000 } as const;

/** Delay before the next attempt, after `attempts` failed ones (1 → 30 s). */
export function retryDelayMs(attempts: number): number {
  return Math.min(
    DELIVERY_RETRY.maximumMs,
    DELIVERY_RETRY.initialMs * DELIVERY_RETRY.coefficient ** Math.max(0, attempts - 1),
  );
}

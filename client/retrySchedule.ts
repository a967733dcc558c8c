/** How the client retries 429, 5xx and network errors. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 4). */
  maxAttempts: number;
  /** The backoff's base: the first retry waits up to this (default 250 ms). */
  baseDelayMs: number;
  /** The most any one backoff waits, before Retry-After (default 8 s). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 8000 };

/**
 * The wait before retry number `retry` (1 for the first): exponential backoff with full jitter
 * (a uniform draw between 0 and min(max, base * 2^(retry-1))), but never sooner than the server's
 * Retry-After.
 */
export function retryDelayMs(
  retry: number,
  policy: RetryPolicy,
  retryAfterSeconds: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000);
}

/** Retry-After in whole seconds (RFC 9110 also allows an HTTP date), or undefined. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null || header.trim() === "") return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

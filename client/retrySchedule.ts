import { POLL_INTERVAL_SECONDS } from "@task-api/contract";

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

/**
 * The wait before the next poll of a task still in progress. The server's Retry-After, when it
 * sends one, is the task's own poll hint: poll then, plus up to 10% jitter so that callers of the
 * same task spread out (and never sooner than the caller's own `minDelaySeconds`, if it set one).
 * The jitter never takes a delay past `maxDelaySeconds` (the stack's default `pollIntervalSeconds`,
 * the hint's ceiling, unless the caller says otherwise) or past a hint that is already longer: an
 * old task's 30 s hint is polled at 30 s, not 33.
 * Without one, the AWS SDK waiters' backoff: a uniform draw between `minDelaySeconds` and
 * min(max, min * 2^(attempt - 1)).
 */
export function pollDelayMs(args: {
  attempt: number;
  retryAfterSeconds: number | undefined;
  minDelaySeconds: number | undefined;
  maxDelaySeconds: number;
  random?: () => number;
}): number {
  const random = args.random ?? Math.random;
  if (args.retryAfterSeconds !== undefined) {
    const hint = args.retryAfterSeconds;
    const jittered = Math.min(hint * (1 + 0.1 * random()), Math.max(hint, args.maxDelaySeconds));
    return Math.max(jittered, args.minDelaySeconds ?? 0) * 1000;
  }
  const min = Math.min(args.minDelaySeconds ?? DEFAULT_MIN_POLL_DELAY_SECONDS, args.maxDelaySeconds);
  const ceiling = Math.min(args.maxDelaySeconds, min * 2 ** (args.attempt - 1));
  return (min + random() * (ceiling - min)) * 1000;
}

/**
 * The waiters' own backoff, when the server gives no Retry-After: from 2 s up to the stack's
 * default poll hint ceiling (30 s), which also caps the hint's jitter.
 */
export const DEFAULT_MIN_POLL_DELAY_SECONDS = 2;
export const DEFAULT_MAX_POLL_DELAY_SECONDS = POLL_INTERVAL_SECONDS.default;

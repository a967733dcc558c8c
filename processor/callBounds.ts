import { WRITE_CALL_TIMEOUT_MS } from "@task-api/contract";
import { InvalidTaskInputError, TaskCallTimeoutError } from "./errors.js";

/**
 * How long the kit's calls may take. The first three size the client the kit makes itself (as
 * the API's own function sizes its client); `callTimeoutMs` bounds each call, retries included,
 * whatever client it runs on: past it, no attempt is sent and the call throws.
 */
export interface CallBounds {
  /** The most one call takes, every attempt and backoff included (default 3000 ms, WRITE_CALL_TIMEOUT_MS). */
  callTimeoutMs: number;
  /** The most one connection takes to open (default 500 ms). */
  connectionTimeoutMs: number;
  /** The most one attempt waits for its answer (default 1000 ms). */
  requestTimeoutMs: number;
  /** Attempts in all, the first included (default 3). */
  maxAttempts: number;
}

export const DEFAULT_CALL_BOUNDS: CallBounds = {
  callTimeoutMs: WRITE_CALL_TIMEOUT_MS,
  connectionTimeoutMs: 500,
  requestTimeoutMs: 1000,
  maxAttempts: 3,
};

const LIMITS: Record<keyof CallBounds, { min: number; max: number }> = {
  callTimeoutMs: { min: 1, max: 60_000 },
  connectionTimeoutMs: { min: 1, max: 60_000 },
  requestTimeoutMs: { min: 1, max: 60_000 },
  maxAttempts: { min: 1, max: 10 },
};

/** The defaults with the caller's own values, each checked: a whole number within its limits. */
export function callBoundsFrom(given: Partial<CallBounds>): CallBounds {
  const bounds = { ...DEFAULT_CALL_BOUNDS };
  for (const name of Object.keys(LIMITS) as Array<keyof CallBounds>) {
    const value = given[name];
    if (value === undefined) continue;
    const { min, max } = LIMITS[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidTaskInputError(`${name} must be a whole number from ${min} to ${max}, not ${value}`);
    }
    bounds[name] = value;
  }
  return bounds;
}

/** The SDK settings every client of the kit gets (DynamoDB, EventBridge, SQS take the same shape). */
export interface BoundedClientConfig {
  maxAttempts: number;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: true };
}

/** A client's settings for these bounds: the SDK's own connection and request timeouts and attempts. */
export function boundedClientConfig(bounds: CallBounds): BoundedClientConfig {
  return {
    maxAttempts: bounds.maxAttempts,
    requestHandler: {
      connectionTimeout: bounds.connectionTimeoutMs,
      requestTimeout: bounds.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}

/**
 * Runs one call within `callTimeoutMs`: the signal it is given aborts the SDK's request (and so
 * any attempt not yet sent) when the time is up, and the call throws TaskCallTimeoutError then,
 * whether or not the SDK has let go yet.
 */
export async function withinCallTimeout<T>(
  call: string,
  bounds: Pick<CallBounds, "callTimeoutMs">,
  send: (abortSignal: AbortSignal) => Promise<T>,
): Promise<T> {
  const controller = new AbortController();
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new TaskCallTimeoutError(call, performance.now() - started, bounds.callTimeoutMs));
    }, bounds.callTimeoutMs);
  });
  try {
    return await Promise.race([send(controller.signal), timedOut]);
  } catch (error) {
    // An abort the timer caused surfaces from the SDK as its own error: say what happened instead.
    if (controller.signal.aborted)
      throw new TaskCallTimeoutError(call, performance.now() - started, bounds.callTimeoutMs);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

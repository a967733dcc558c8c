/** The spec's figures for the function: 5 s and 128 MB. */
export const FUNCTION_TIMEOUT_SECONDS = 5;
export const FUNCTION_MEMORY_MB = 128;

/** A setting's default and inclusive bounds. */
export interface Bounded {
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/**
 * Presigned URL lifetime in seconds. A URL stops working when the credentials that signed it
 * expire, whatever its own expiry says; the function signs with its execution role's temporary
 * credentials, which AWS documents as valid for up to six hours for a service's role (instance
 * profile credentials), noting that services such as Lambda "don't necessarily comply with the
 * role's session duration settings":
 * https://repost.aws/knowledge-center/presigned-url-s3-bucket-expiration
 * So at most 6 hours (SigV4's own cap, 7 days, needs long-term IAM user keys).
 */
export const URL_TTL_SECONDS: Bounded = { default: 3600, min: 1, max: 21_600 };

/**
 * The ceiling of the poll hint (Retry-After and max-age on answers for tasks still in progress),
 * in seconds; the hint itself is timed by the task's own progress (pollHintSeconds).
 */
export const POLL_INTERVAL_SECONDS: Bounded = { default: 30, min: 1, max: 3600 };

/**
 * How long after a deadline the API and the sweeper wait before they judge it passed, in
 * seconds: longer than any write the kit built before the deadline can take to land, so that a
 * task the API has answered `failed` never takes a write afterwards (docs/writing-tasks.md,
 * "Deadlines under delay", has the arithmetic). The least is the kit's call bound
 * (WRITE_CALL_TIMEOUT_MS, 3 s) plus twice the clock skew tolerated between a writer and the API
 * (1 s each way).
 */
export const DEADLINE_GRACE_SECONDS: Bounded = { default: 10, min: 5, max: 3600 };

/** The most task IDs one POST /tasks/batch-get takes (DynamoDB's BatchGetItem takes 100 keys). */
export const BATCH_GET_MAX_IDS = 100;

/** Whether a value is a whole number within a setting's bounds. */
export function isWithin(bounded: Bounded, value: number): boolean {
  return Number.isInteger(value) && value >= bounded.min && value <= bounded.max;
}

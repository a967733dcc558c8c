/**
 * The task record as the task processor spec defines it (its fields, statuses and examples;
 * docs/api.md lists what the API answers of them). These names are the wire contract:
 * processors write them, the API reads them, callers receive them.
 */

/** The table's hash key attribute. */
export const TASK_ID_ATTRIBUTE = "TaskId";

/** Every attribute of a stored task that may reach a caller, in the spec's order. */
export const TASK_FIELDS = [
  "TaskId",
  "Status",
  "Result",
  "TaskType",
  "SourceKey",
  "TargetKey",
  "SourceBucket",
  "TargetBucket",
  "Created_at",
  "Updated_at",
  "ErrorMessage",
  // Additions to the spec, each optional: a machine-readable failure and the caller's own reference.
  "ErrorCode",
  "CorrelationId",
] as const;

export type TaskField = (typeof TASK_FIELDS)[number];

/**
 * The attribute processors set (epoch seconds) for DynamoDB to expire a record: the table's TTL.
 * It is read (an expired record is treated as gone) but never returned.
 */
export const TASK_TTL_ATTRIBUTE = "ExpiresAt";

/**
 * How far a task in progress has got: a whole percentage, 0 to 100, written by processors while
 * the task is processing and never lowered. An addition to the spec: a number, passed through
 * to callers when it is valid, ignored otherwise.
 */
export const PROGRESS_ATTRIBUTE = "Progress";

/**
 * How long the processor expects the task to take, in whole seconds, given at `start`. An
 * addition to the spec the API never answers: the poll hint uses it while no Progress exists.
 */
export const ESTIMATED_SECONDS_ATTRIBUTE = "EstimatedSeconds";

/** The bounds of an EstimatedSeconds: one second to seven days. */
export const ESTIMATED_SECONDS = { min: 1, max: 604_800 } as const;

export function isEstimatedSeconds(value: unknown): value is number {
  return (
    typeof value === "number" &&
    Number.isInteger(value) &&
    value >= ESTIMATED_SECONDS.min &&
    value <= ESTIMATED_SECONDS.max
  );
}

/** Whether a value is a Progress the API passes on: a whole number from 0 to 100. */
export function isValidProgress(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 100;
}

/** ErrorCode: a machine-readable reason for a failure, next to the ErrorMessage callers read. */
const ERROR_CODE_PATTERN = /^[A-Z][A-Z0-9_]{0,63}$/;

export const ERROR_CODE_RULE = "must be 1-64 characters of A-Z, 0-9 and '_', starting with a letter";

export function isErrorCode(value: unknown): value is string {
  return typeof value === "string" && ERROR_CODE_PATTERN.test(value);
}

/** The status values the spec names. A record may carry none (the deblindwatermark example). */
export const TASK_STATUSES = ["processing", "completed", "failed"] as const;

export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Whether a stored Status is one the spec defines. */
export function isSpecStatus(status: string): status is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(status);
}

/**
 * The 200 body: the spec's fields that the record holds as strings, plus the URL when signed and
 * (an addition to the spec no existing client can trip on) when that URL expires.
 */
export type TaskResponse = { -readonly [F in TaskField]?: string } & {
  TaskId: string;
  /** Percent done, 0-100, when the processor reports it. */
  Progress?: number;
  TargetObjectURL?: string;
  /** ISO 8601 UTC: the URL's own X-Amz-Date + X-Amz-Expires. */
  TargetObjectURLExpiresAt?: string;
};

/** The part of a task the "finished" rules look at. */
type TaskOutcome = Pick<TaskResponse, "Status" | "Result">;

/** Finished and successful: Status completed, or (deblindwatermark) a Result without a Status. */
export function isCompleted(task: TaskOutcome): boolean {
  return task.Status === "completed" || (task.Status === undefined && task.Result !== undefined);
}

/** Finished and failed: Status failed. */
export function isFailed(task: TaskOutcome): boolean {
  return task.Status === "failed";
}

/** Finished either way: nothing about the task will change any more. */
export function isFinished(task: TaskOutcome): boolean {
  return isCompleted(task) || isFailed(task);
}

/**
 * When a record expires, from its ExpiresAt: epoch seconds, a positive number. Anything else (no
 * attribute, 0, a negative number, a string) means the record does not expire; DynamoDB's TTL
 * ignores such values too.
 */
export function expiresAtSeconds(expiresAt: unknown): number | undefined {
  return typeof expiresAt === "number" && Number.isFinite(expiresAt) && expiresAt > 0 ? expiresAt : undefined;
}

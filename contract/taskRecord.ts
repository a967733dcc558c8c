/**
 * What the task record's fields mean to every side (the fields themselves, and their rules, are
 * in taskFields.ts; docs/api.md lists what the API answers): the names the others import, the
 * checks of single values, the statuses, and when a task is finished.
 */
import { TASK_RECORD_FIELDS, TASK_STATUSES, type TaskAnswerShape, type TaskRecordField } from "./taskFields.js";
import { keepsRule } from "./valueRules.js";

/** The table's hash key attribute. */
export const TASK_ID_ATTRIBUTE = "TaskId" satisfies TaskRecordField;

/**
 * The attribute processors set (epoch seconds) for DynamoDB to expire a record: the table's TTL.
 * It is read (an expired record is treated as gone) but never returned.
 */
export const TASK_TTL_ATTRIBUTE = "ExpiresAt" satisfies TaskRecordField;

/**
 * How far a task in progress has got: a whole percentage, 0 to 100, written by processors while
 * the task is processing and never lowered; passed through to callers when it is valid.
 */
export const PROGRESS_ATTRIBUTE = "Progress" satisfies TaskRecordField;

/** How long the processor expects the task to take, given at `start`; the poll hint uses it while no Progress exists. */
export const ESTIMATED_SECONDS_ATTRIBUTE = "EstimatedSeconds" satisfies TaskRecordField;

/** The bounds of an EstimatedSeconds: one second to seven days. */
export const ESTIMATED_SECONDS = {
  min: TASK_RECORD_FIELDS.EstimatedSeconds.value.minimum,
  max: TASK_RECORD_FIELDS.EstimatedSeconds.value.maximum,
} as const;

export function isEstimatedSeconds(value: unknown): value is number {
  return keepsRule(TASK_RECORD_FIELDS.EstimatedSeconds.value, value);
}

/** Whether a value is a Progress the API passes on: a whole number from 0 to 100. */
export function isValidProgress(value: unknown): value is number {
  return keepsRule(TASK_RECORD_FIELDS.Progress.value, value);
}

/** ErrorCode: a machine-readable reason for a failure, next to the ErrorMessage callers read. */
export const ERROR_CODE_RULE = "must be 1-64 characters of A-Z, 0-9 and '_', starting with a letter";

export function isErrorCode(value: unknown): value is string {
  return keepsRule(TASK_RECORD_FIELDS.ErrorCode.value, value);
}

export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Whether a stored Status is one the spec defines. */
export function isSpecStatus(status: string): status is TaskStatus {
  return (TASK_STATUSES as readonly string[]).includes(status);
}

/** The 200 body (contract/taskFields.ts): the record's answered fields, the URL when signed and when it expires. */
export type TaskResponse = TaskAnswerShape;

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

/**
 * The task record as the spec defines it (../shared/spec/task-processor-api.md).
 * These names are the wire contract: processors write them, callers read them.
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
] as const;

export type TaskField = (typeof TASK_FIELDS)[number];

/**
 * The attribute processors may set (epoch seconds) for DynamoDB to expire a record. It is read
 * (an expired record is treated as gone) but never returned.
 */
export const TASK_TTL_ATTRIBUTE = "ExpiresAt";

/** Status values the spec names. A record may carry none (the deblindwatermark example). */
export type TaskStatus = "processing" | "completed" | "failed";

/**
 * A task as read from the table, projected to the spec's attributes. Processors own the
 * data, so nothing about the values is trusted until the service has checked them.
 */
export type StoredTask = { readonly [F in TaskField | typeof TASK_TTL_ATTRIBUTE]?: unknown };

/**
 * The 200 body: the spec's fields that the record holds as strings, plus the URL when signed and
 * (an addition to the spec no existing client can trip on) when that URL expires.
 */
export type TaskResponse = { -readonly [F in TaskField]?: string } & {
  TaskId: string;
  TargetObjectURL?: string;
  /** ISO 8601 UTC: the URL's own X-Amz-Date + X-Amz-Expires. */
  TargetObjectURLExpiresAt?: string;
};

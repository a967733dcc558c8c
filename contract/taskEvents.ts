import type { TaskField } from "./taskRecord";

/** The `source` of every task event on a stack's event bus. */
export const TASK_EVENT_SOURCE = "task-api";

/** The statuses that publish an event, and each event's `detail-type`. */
export const TASK_EVENT_DETAIL_TYPES = {
  completed: "Task Completed",
  failed: "Task Failed",
} as const;

export type TaskEventStatus = keyof typeof TASK_EVENT_DETAIL_TYPES;

/** The record's fields an event's `detail` carries (never a presigned URL: a consumer asks the API). */
export const TASK_EVENT_FIELDS = [
  "TaskId",
  "Status",
  "TaskType",
  "SourceBucket",
  "SourceKey",
  "TargetBucket",
  "TargetKey",
  "Created_at",
  "Updated_at",
  "ErrorMessage",
  "ErrorCode",
  "Result",
  // So that a consumer's rule can match its own tasks: { "detail": { "CorrelationId": ["..."] } }.
  "CorrelationId",
] as const satisfies readonly TaskField[];

/** An event's `detail`: the record's fields that it holds, and the stack that published it. */
export type TaskEventDetail = { [F in (typeof TASK_EVENT_FIELDS)[number]]?: string } & {
  TaskId: string;
  Status: TaskEventStatus;
  Stack: string;
};

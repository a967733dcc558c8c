import { EVENT_FIELDS, type TaskEventDetailShape } from "./taskFields.js";

/** The `source` of every task event on a stack's event bus. */
export const TASK_EVENT_SOURCE = "task-api";

/** The statuses that publish an event, and each event's `detail-type`. */
export const TASK_EVENT_DETAIL_TYPES = {
  completed: "Task Completed",
  failed: "Task Failed",
} as const;

export type TaskEventStatus = keyof typeof TASK_EVENT_DETAIL_TYPES;

/** The record's fields an event's `detail` carries (never a presigned URL: a consumer asks the API). */
export const TASK_EVENT_FIELDS = EVENT_FIELDS;

/** An event's `detail`: the record's fields that it holds, and the stack that published it. */
export type TaskEventDetail = TaskEventDetailShape<TaskEventStatus>;

/**
 * The `detail` the pipes publish for a record that moved into `status`: the event fields the
 * record holds as strings, the status, and the stack. (The pipes build it with their input
 * template; `task-record republish` builds the same from the table, to recover a lost event.)
 */
export function taskEventDetail(
  record: { readonly [field: string]: unknown },
  status: TaskEventStatus,
  stack: string,
): TaskEventDetail {
  const detail: Record<string, string> = {};
  for (const field of TASK_EVENT_FIELDS) {
    const value = field === "Status" ? status : record[field];
    if (typeof value === "string") detail[field] = value;
  }
  return { ...detail, TaskId: String(record.TaskId), Status: status, Stack: stack };
}

import type { TaskResponse } from "../handler/taskRecord";

/** A task as the API answers it (the spec's fields, the presigned URL and its expiry). */
export type Task = Readonly<TaskResponse>;

/** Finished and successful: Status completed, or (deblindwatermark) a Result without a Status. */
export function isCompleted(task: Task): boolean {
  return task.Status === "completed" || (task.Status === undefined && task.Result !== undefined);
}

export function isFailed(task: Task): boolean {
  return task.Status === "failed";
}

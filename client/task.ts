import type { TaskResponse } from "task-api-contract";

/** A task as the API answers it (the spec's fields, the presigned URL and its expiry). */
export type Task = Readonly<TaskResponse>;

export { isCompleted, isFailed } from "task-api-contract";

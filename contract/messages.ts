import { TASK_ID_RULE } from "./taskId.js";

/** The spec's error messages, word for word: the `error` field of the API's 4xx and 5xx bodies. */
export const TASK_ID_REQUIRED_MESSAGE = "task_id is required in path parameters";

export const INVALID_TASK_ID_MESSAGE = `Invalid task_id: ${TASK_ID_RULE}`;

export function taskNotFoundMessage(taskId: string): string {
  return `Task not found: ${taskId}`;
}

/** The 5xx message: a short failure name, never the underlying error's details. */
export function taskLookupFailedMessage(failureName: string): string {
  return `Failed to get task status: ${failureName}`;
}

/** POST /tasks/batch-get's 400 messages. The input is never echoed, only where it went wrong. */
export const BATCH_GET_MESSAGES = {
  notJson: 'The request body must be JSON: {"TaskIds": ["..."]}',
  notJsonContentType: "The request's content-type must be application/json",
  noTaskIds: 'TaskIds is required: {"TaskIds": ["..."]}',
  notArray: "TaskIds must be an array of task IDs",
  empty: "TaskIds must list at least one task ID",
  tooMany: (max: number) => `TaskIds may list at most ${max} task IDs`,
  invalidId: (position: number) => `TaskIds[${position}] is not a valid task_id: ${TASK_ID_RULE}`,
} as const;

/** Whether a 404's body is the API's own "no such task", as opposed to a gateway's route-level 404. */
export function isTaskNotFoundBody(body: unknown): boolean {
  const error = (body as { error?: unknown } | null)?.error;
  return typeof error === "string" && error.startsWith(taskNotFoundMessage(""));
}

/** The API's routes, as API Gateway keys them. */
export const TASK_ROUTE_KEY = "GET /task/{task_id}";
export const BATCH_GET_ROUTE_KEY = "POST /tasks/batch-get";

/** The batch route's path, relative to the API's base URL. */
export const BATCH_GET_PATH = "tasks/batch-get";

/** The path of one task, relative to the API's base URL (the ID percent-encoded). */
export function taskPath(taskId: string): string {
  return `task/${encodeURIComponent(taskId)}`;
}

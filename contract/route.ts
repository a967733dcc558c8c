/** The API's one route, as API Gateway keys it. */
export const TASK_ROUTE_KEY = "GET /task/{task_id}";

/** The path of one task, relative to the API's base URL (the ID percent-encoded). */
export function taskPath(taskId: string): string {
  return `task/${encodeURIComponent(taskId)}`;
}

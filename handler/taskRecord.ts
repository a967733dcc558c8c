import type { PROGRESS_ATTRIBUTE, TASK_TTL_ATTRIBUTE, TaskField } from "task-api-contract";

/**
 * A task as read from the table, projected to the spec's attributes, Progress and the TTL. Processors own
 * the data, so nothing about the values is trusted until the service has checked them.
 */
export type StoredTask = {
  readonly [F in TaskField | typeof PROGRESS_ATTRIBUTE | typeof TASK_TTL_ATTRIBUTE]?: unknown;
};

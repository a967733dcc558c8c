import type { DeadlineDefinition, PROGRESS_ATTRIBUTE, TASK_TTL_ATTRIBUTE, TaskField } from "@task-api/contract";

/** The deadline attributes the API reads: each deadline's period and instant. */
export type DeadlineAttribute = DeadlineDefinition["secondsAttribute"] | DeadlineDefinition["deadlineAttribute"];

/**
 * A task as read from the table, projected to the spec's attributes, Progress, the TTL and the
 * deadlines. Processors own the data, so nothing about the values is trusted until the service
 * has checked them.
 */
export type StoredTask = {
  readonly [F in TaskField | typeof PROGRESS_ATTRIBUTE | typeof TASK_TTL_ATTRIBUTE | DeadlineAttribute]?: unknown;
};

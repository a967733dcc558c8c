import type {
  CALLBACK_URL_ATTRIBUTE,
  DeadlineDefinition,
  ESTIMATED_SECONDS_ATTRIBUTE,
  PROGRESS_ATTRIBUTE,
  TASK_TTL_ATTRIBUTE,
  TaskField,
} from "@task-api/contract";

/** The deadline attributes the API reads: each deadline's period and instant. */
export type DeadlineAttribute = DeadlineDefinition["secondsAttribute"] | DeadlineDefinition["deadlineAttribute"];

/** The attributes the API reads besides the spec's: Progress, EstimatedSeconds, the TTL, the deadlines. */
export type ReadAttribute =
  | TaskField
  | typeof PROGRESS_ATTRIBUTE
  | typeof ESTIMATED_SECONDS_ATTRIBUTE
  | typeof TASK_TTL_ATTRIBUTE
  | DeadlineAttribute;

/**
 * A task as read from the table, projected to the spec's attributes, Progress, EstimatedSeconds,
 * the TTL and the deadlines, and (for the webhook sender only) its CallbackUrl. Processors own
 * the data, so nothing about the values is trusted until the service has checked them.
 */
export type StoredTask = {
  readonly [F in ReadAttribute | typeof CALLBACK_URL_ATTRIBUTE]?: unknown;
};

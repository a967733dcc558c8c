import type { ApiReadField, SENDER_READ_FIELDS } from "@task-api/contract";

/**
 * A task as read from the table, projected to what the API reads (contract/taskFields.ts: what it
 * answers, EstimatedSeconds, the TTL, the deadlines) and, for the webhook sender only, its
 * CallbackUrl. Processors own the data, so nothing about the values is trusted until the service
 * has checked them.
 */
export type StoredTask = {
  readonly [F in ApiReadField | (typeof SENDER_READ_FIELDS)[number]]?: unknown;
};

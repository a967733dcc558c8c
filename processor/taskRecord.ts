import { isSpecStatus, type TaskStatus } from "@task-api/contract";
import { MalformedTaskRecordError } from "./errors.js";

/** A task record as the writer stores it: the spec's fields, Progress and ExpiresAt. */
export interface TaskRecord {
  TaskId: string;
  /** Absent on a record that reports only a Result (schemas/task-record.schema.json). */
  Status?: TaskStatus;
  TaskType: string;
  SourceBucket: string;
  SourceKey: string;
  TargetBucket?: string;
  TargetKey?: string;
  /** ISO 8601 UTC. */
  Created_at: string;
  /** ISO 8601 UTC; never goes back. */
  Updated_at: string;
  /** The table's TTL: epoch seconds. */
  ExpiresAt: number;
  /** 0-100 while processing (100 once completed); never lowered. */
  Progress?: number;
  ErrorMessage?: string;
  /** A machine-readable reason for a failure; DEADLINE_EXCEEDED when a deadline failed the task. */
  ErrorCode?: string;
  Result?: string;
  /** The caller's own reference, set at start and carried by the task's events. */
  CorrelationId?: string;
  /** Where the task's webhook goes when it completes or fails; stored, never answered by the API. */
  CallbackUrl?: string;
  /** How long the processor expected the task to take, in seconds: the poll hint's guide until Progress exists. */
  EstimatedSeconds?: number;
  /** The deadlines the task was started with (contract/deadlines.ts): periods, instants, index shards. */
  HeartbeatSeconds?: number;
  HeartbeatDeadline?: number;
  HeartbeatShard?: number;
  TimeoutSeconds?: number;
  TimeoutDeadline?: number;
  TimeoutShard?: number;
}

/** Deadlines a task is started with; a writer's options hold the defaults. */
export interface Deadlines {
  /** The task fails when no start, progress or heartbeat comes for this long. */
  heartbeatSeconds?: number;
  /** The task fails when it is not finished this long after its start, whatever it reports. */
  timeoutSeconds?: number;
}

/** What a processor may add to a failure besides its message. */
export interface FailureDetails {
  /** A machine-readable code, ^[A-Z][A-Z0-9_]{0,63}$; DEADLINE_EXCEEDED is reserved. */
  errorCode?: string;
}

/** What a processor knows when it starts a task. */
export interface NewTask {
  /** A UUID is generated when none is given. */
  TaskId?: string;
  TaskType: string;
  SourceBucket: string;
  SourceKey: string;
  TargetBucket?: string;
  TargetKey?: string;
  /** The caller's own reference for the task (1-128 of the task ID's alphabet), usually handed over with its request. */
  CorrelationId?: string;
  /**
   * The caller's URL for a signed webhook when the task completes or fails (docs/webhooks.md):
   * absolute https:// or http://, at most 2,048 characters, no user info. Stored, never answered.
   */
  CallbackUrl?: string;
  /** How long the task should take, in whole seconds (1 to 604,800): callers poll around it until Progress exists. */
  EstimatedSeconds?: number;
}

/** What a processor may add when it completes a task. */
export interface Completion {
  TargetBucket?: string;
  TargetKey?: string;
  Result?: string;
}

const REQUIRED_TEXT = ["TaskId", "TaskType", "SourceBucket", "SourceKey", "Created_at", "Updated_at"] as const;
const OPTIONAL_TEXT = [
  "TargetBucket",
  "TargetKey",
  "ErrorMessage",
  "ErrorCode",
  "Result",
  "CorrelationId",
  "CallbackUrl",
] as const satisfies ReadonlyArray<keyof TaskRecord>;
const OPTIONAL_NUMBERS = [
  "ExpiresAt",
  "Progress",
  "EstimatedSeconds",
  "HeartbeatSeconds",
  "HeartbeatDeadline",
  "HeartbeatShard",
  "TimeoutSeconds",
  "TimeoutDeadline",
  "TimeoutShard",
] as const satisfies ReadonlyArray<keyof TaskRecord>;

/**
 * A record as the table returned it (another writer may have put it there), checked before the
 * writer decides anything on it: the fields it compares must be what TaskRecord says they are.
 */
export function readTaskRecord(item: Record<string, unknown>): TaskRecord {
  for (const field of REQUIRED_TEXT) {
    if (typeof item[field] !== "string") throw new MalformedTaskRecordError(field, "a string", item);
  }
  for (const field of OPTIONAL_TEXT) {
    if (item[field] !== undefined && typeof item[field] !== "string") {
      throw new MalformedTaskRecordError(field, "a string when present", item);
    }
  }
  for (const field of OPTIONAL_NUMBERS) {
    if (item[field] !== undefined && typeof item[field] !== "number") {
      throw new MalformedTaskRecordError(field, "a number when present", item);
    }
  }
  const status = item.Status;
  if (status !== undefined && !(typeof status === "string" && isSpecStatus(status))) {
    throw new MalformedTaskRecordError("Status", "processing, completed or failed when present", item);
  }
  return item as unknown as TaskRecord;
}

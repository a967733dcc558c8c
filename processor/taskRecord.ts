import type { TaskStatus } from "task-api-contract";

/** A task record as the writer stores it: the spec's fields, Progress and ExpiresAt. */
export interface TaskRecord {
  TaskId: string;
  Status: TaskStatus;
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
}

/** What a processor may add when it completes a task. */
export interface Completion {
  TargetBucket?: string;
  TargetKey?: string;
  Result?: string;
}

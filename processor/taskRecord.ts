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
  Result?: string;
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
}

/** What a processor may add when it completes a task. */
export interface Completion {
  TargetBucket?: string;
  TargetKey?: string;
  Result?: string;
}

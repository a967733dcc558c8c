import {
  hasRuleType,
  ruleTypeInWords,
  TASK_RECORD_FIELDS,
  type TaskFieldSpec,
  type TaskRecordShape,
} from "@task-api/contract";
import { MalformedTaskRecordError } from "./errors.js";

/**
 * A task record as the writer stores it and reads it back: the contract's fields, typed by their
 * rules (contract/taskFields.ts; schemas/task-record.schema.json is written from the same table).
 */
export type TaskRecord = TaskRecordShape;

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

/**
 * A record as the table returned it (another writer may have put it there), checked before the
 * writer decides anything on it: the fields it compares must be what TaskRecord says they are.
 */
export function readTaskRecord(item: Record<string, unknown>): TaskRecord {
  for (const [field, spec] of Object.entries(TASK_RECORD_FIELDS) as Array<[string, TaskFieldSpec]>) {
    const value = item[field];
    if (value === undefined && spec.required !== true) continue;
    if (!hasRuleType(spec.value, value)) {
      const expected = ruleTypeInWords(spec.value);
      throw new MalformedTaskRecordError(field, spec.required === true ? expected : `${expected} when present`, item);
    }
  }
  return item as unknown as TaskRecord;
}

import { taskNotFoundMessage } from "@task-api/contract";
import type { TaskRecord } from "./taskRecord.js";

/** `start` found a task with this ID and different content; `record` is what the table holds. */
export class TaskAlreadyExistsError extends Error {
  constructor(readonly record: TaskRecord) {
    super(`Task ${record.TaskId} already exists with other content (status ${record.Status ?? "none"})`);
    this.name = "TaskAlreadyExistsError";
  }
}

/**
 * The write would move the task from a status it may not leave that way: terminal states are
 * final, progress is only for tasks in progress. `record` is what the table holds.
 */
export class TaskTransitionError extends Error {
  constructor(
    readonly taskId: string,
    readonly from: string | undefined,
    readonly to: string,
    readonly record: TaskRecord,
  ) {
    super(`Task ${taskId} cannot go from ${from ?? "no status"} to ${to}`);
    this.name = "TaskTransitionError";
  }
}

/**
 * The task is past a deadline it was started with (or was failed for one): this write was built
 * at or after the deadline, so it was refused, and the API answers the task failed once the
 * stack's deadline grace has passed; nothing else may be written to it. `reason` says which deadline
 * ("no progress report for 60 s", "not finished within 600 s").
 */
export class TaskDeadlineExceededError extends TaskTransitionError {
  constructor(
    taskId: string,
    to: string,
    record: TaskRecord,
    readonly reason: string,
  ) {
    super(taskId, record.Status, to, record);
    this.message = `Task ${taskId} is past its deadline (${reason}): it cannot go to ${to}`;
    this.name = "TaskDeadlineExceededError";
  }
}

/** No task with this ID: it was never started, or its retention has passed. */
export class TaskNotFoundError extends Error {
  constructor(readonly taskId: string) {
    super(taskNotFoundMessage(taskId));
    this.name = "TaskNotFoundError";
  }
}

/**
 * The record was last updated after this write's time (`Updated_at` never goes back): another
 * writer's clock is ahead, or this one's is behind. `record` is what the table holds.
 */
export class TaskOutOfOrderError extends Error {
  constructor(
    readonly taskId: string,
    readonly writtenAt: string,
    readonly record: TaskRecord,
  ) {
    super(`Task ${taskId} was updated at ${String(record.Updated_at)}, after this write's time ${writtenAt}`);
    this.name = "TaskOutOfOrderError";
  }
}

/** An argument the record cannot hold (an invalid ID, a progress outside 0-100, an empty field). */
export class InvalidTaskInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidTaskInputError";
  }
}

/**
 * The table holds, under this task's ID, a record the writer cannot act on: `field` is not
 * `expected`. `item` is what the table returned.
 */
export class MalformedTaskRecordError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly item: Readonly<Record<string, unknown>>,
  ) {
    super(
      `Task ${typeof item.TaskId === "string" ? item.TaskId : "(no TaskId)"} in the table is malformed: ${field} is not ${expected} (it is ${JSON.stringify(item[field]) ?? "absent"})`,
    );
    this.name = "MalformedTaskRecordError";
  }
}

/**
 * A call ran out of its time (`callTimeoutMs`, retries included) without an answer. Whether the
 * write took effect is unknown: an attempt may have reached the table and its answer been lost.
 * The same call again is safe (a repeat of a write that took effect returns the stored record).
 */
export class TaskCallTimeoutError extends Error {
  readonly elapsedMs: number;
  constructor(
    readonly call: string,
    elapsedMs: number,
    readonly callTimeoutMs: number,
  ) {
    super(
      `${call} gave up after ${(elapsedMs / 1000).toFixed(1)} s without an answer (callTimeoutMs ${callTimeoutMs}); whether it was written is unknown, and the same call again is safe`,
    );
    this.elapsedMs = Math.round(elapsedMs);
    this.name = "TaskCallTimeoutError";
  }
}

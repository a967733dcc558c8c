import type { Task } from "./task";

/** The API answered 404: no such task (or its retention has passed). Not worth retrying. */
export class TaskNotFoundError extends Error {
  constructor(
    readonly taskId: string,
    message: string,
  ) {
    super(message);
    this.name = "TaskNotFoundError";
  }
}

/** The API answered 400: the ID is not one it could have issued. Not worth retrying. */
export class InvalidTaskIdError extends Error {
  constructor(
    readonly taskId: string,
    message: string,
  ) {
    super(message);
    this.name = "InvalidTaskIdError";
  }
}

/** The task finished, and failed; `task` carries its ErrorMessage. */
export class TaskFailedError extends Error {
  constructor(readonly task: Task) {
    super(`Task ${task.TaskId} failed: ${task.ErrorMessage ?? "no ErrorMessage given"}`);
    this.name = "TaskFailedError";
  }
}

/** The task did not finish within the wait; `lastSeen` is the last answer, if any. */
export class TaskWaitTimeoutError extends Error {
  constructor(
    readonly taskId: string,
    readonly waitedSeconds: number,
    readonly lastSeen: Task | undefined,
  ) {
    super(`Task ${taskId} did not finish within ${waitedSeconds} s (last status: ${lastSeen?.Status ?? "unknown"})`);
    this.name = "TaskWaitTimeoutError";
  }
}

/**
 * The API could not be asked (network error), answered an error the client does not retry
 * (403, an unexpected 4xx), or kept failing after every retry (429, 5xx).
 */
export class TaskApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "TaskApiRequestError";
  }
}

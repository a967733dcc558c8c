import type { Task } from "./task.js";

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

/**
 * The task finished, and failed; `task` carries its ErrorMessage, and `errorCode` its
 * machine-readable reason when the processor gave one (DEADLINE_EXCEEDED: it passed a deadline).
 */
export class TaskFailedError extends Error {
  readonly errorCode: string | undefined;
  constructor(readonly task: Task) {
    const code = task.ErrorCode === undefined ? "" : ` [${task.ErrorCode}]`;
    super(`Task ${task.TaskId} failed${code}: ${task.ErrorMessage ?? "no ErrorMessage given"}`);
    this.name = "TaskFailedError";
    this.errorCode = task.ErrorCode;
  }
}

/** Some of the tasks waited for did not finish within the wait; `unfinished` are their last answers. */
export class TasksWaitTimeoutError extends Error {
  constructor(
    readonly taskIds: readonly string[],
    readonly maxWaitSeconds: number,
    readonly waitedSeconds: number,
    readonly unfinished: readonly Task[],
  ) {
    super(
      `${taskIds.length} task(s) did not finish within ${maxWaitSeconds} s (waited ${waitedSeconds.toFixed(1)} s): ${taskIds.slice(0, 5).join(", ")}${taskIds.length > 5 ? ", ..." : ""}`,
    );
    this.name = "TasksWaitTimeoutError";
  }
}

/**
 * The task did not finish within the wait. `waitedSeconds` is how long the wait really took,
 * which is less than `maxWaitSeconds` when the next poll could not have come before the deadline
 * (`endedEarly` says why); `lastSeen` is the last answer, if any.
 */
export class TaskWaitTimeoutError extends Error {
  constructor(
    readonly taskId: string,
    readonly maxWaitSeconds: number,
    readonly waitedSeconds: number,
    readonly lastSeen: Task | undefined,
    readonly endedEarly?: string,
  ) {
    const waited = waitedSeconds.toFixed(1);
    const last = `last status: ${lastSeen?.Status ?? "unknown"}`;
    super(
      endedEarly === undefined
        ? `Task ${taskId} did not finish within ${maxWaitSeconds} s (${last})`
        : `Task ${taskId} did not finish: stopped after ${waited} s of the ${maxWaitSeconds} s allowed, because ${endedEarly} (${last})`,
    );
    this.name = "TaskWaitTimeoutError";
  }
}

/** The client cannot be used as configured: SigV4 without a region it can find. */
export class TaskClientConfigError extends Error {
  constructor(readonly endpoint: URL) {
    super(
      `cannot tell the AWS region of ${endpoint.href} to sign requests (SigV4): give the region (CLI: --region REGION), or signing "none" (CLI: --signing none) for an API without IAM auth`,
    );
    this.name = "TaskClientConfigError";
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

import {
  INVALID_TASK_ID_MESSAGE,
  TASK_ID_REQUIRED_MESSAGE,
  taskLookupFailedMessage,
  taskNotFoundMessage,
} from "@task-api/contract";

/**
 * Errors the task API can answer with. Each carries the HTTP status it maps to; only the
 * messages of 4xx errors are written for callers, and a 5xx message names the failure
 * without the details (which go to the log).
 */
export abstract class TaskApiError extends Error {
  abstract readonly statusCode: number;
}

/** The event has no task_id path parameter (the spec's wording, verbatim). */
export class TaskIdMissingError extends TaskApiError {
  readonly statusCode = 400;
  constructor() {
    super(TASK_ID_REQUIRED_MESSAGE);
    this.name = "TaskIdMissingError";
  }
}

/** The task_id is not one this API could have issued; the raw input is deliberately not echoed. */
export class InvalidTaskIdError extends TaskApiError {
  readonly statusCode = 400;
  constructor() {
    super(INVALID_TASK_ID_MESSAGE);
    this.name = "InvalidTaskIdError";
  }
}

/** A POST /tasks/batch-get body the API cannot take; the message says where, never echoing the input. */
export class BatchRequestError extends TaskApiError {
  readonly statusCode = 400;
  constructor(message: string) {
    super(message);
    this.name = "BatchRequestError";
  }
}

/** A POST /tasks/batch-get body that is not declared JSON. */
export class UnsupportedContentTypeError extends TaskApiError {
  readonly statusCode = 415;
  constructor(message: string) {
    super(message);
    this.name = "UnsupportedContentTypeError";
  }
}

/** No record with this id. The id is echoed because it passed validation first. */
export class TaskNotFoundError extends TaskApiError {
  readonly statusCode = 404;
  constructor(taskId: string) {
    super(taskNotFoundMessage(taskId));
    this.name = "TaskNotFoundError";
  }
}

/**
 * Reading the task or signing its URL failed. The message carries only a short failure name
 * (an AWS error's name or a Node error code), never the underlying message, which can hold
 * ARNs and account IDs; `cause` keeps the original for the log.
 */
export class TaskLookupError extends TaskApiError {
  readonly statusCode = 500;
  constructor(cause: unknown, failureName: string = failureNameOf(cause)) {
    super(taskLookupFailedMessage(failureName), { cause });
    this.name = "TaskLookupError";
  }
}

/**
 * Reading the task failed in a way that passes: a timeout, throttling, a DynamoDB 5xx, a dropped
 * connection. 503 with Retry-After, so callers retry (Google AIP-194: retry what is unavailable).
 */
export class TaskLookupUnavailableError extends TaskApiError {
  readonly statusCode = 503;
  readonly retryAfterSeconds = 1;
  constructor(cause: unknown, failureName: string = failureNameOf(cause)) {
    super(taskLookupFailedMessage(failureName), { cause });
    this.name = "TaskLookupUnavailableError";
  }
}

/**
 * The function's environment is unusable; thrown at cold start. The deploy itself succeeds: each
 * invocation then fails its init (API Gateway answers a 500), the Errors alarm fires, and the
 * log says every problem at once.
 */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration: ${problems.join("; ")}`);
    this.name = "ConfigError";
  }
}

const SAFE_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,63}$/;

/**
 * A short, safe identifier for a failure: the error's own name when it is specific
 * (`ResourceNotFoundException`, `TimeoutError`), else its Node code (`ECONNREFUSED`).
 */
export function failureNameOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (error.name !== "Error" && SAFE_NAME.test(error.name)) return error.name;
    if (typeof code === "string" && SAFE_NAME.test(code)) return code;
    return "Error";
  }
  return "UnknownError";
}

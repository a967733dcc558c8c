import { failureNameOf, TaskLookupError, TaskLookupUnavailableError } from "./errors";

// DynamoDB's own names for failures that pass if tried again.
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html
const TRANSIENT_ERROR_NAMES = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "AbortError",
]);

// Node's names for a connection that could not be made or was lost.
const TRANSIENT_ERROR_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_SOCKET",
]);

/**
 * Turns a failed GetItem into what callers should do about it: TaskLookupUnavailableError (503,
 * retry) for failures that pass, TaskLookupError (500, do not expect a retry to help) for the rest
 * (access denied, a missing table, a validation error, bad credentials). `budgetExhausted` says
 * the call was cut off by the function's own time budget.
 */
export function classifyDynamoFailure(
  error: unknown,
  budgetExhausted: boolean,
): TaskLookupError | TaskLookupUnavailableError {
  if (budgetExhausted) return new TaskLookupUnavailableError(error, "TimeoutError");
  const name = failureNameOf(error);
  const details = error as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown }; code?: unknown };
  const status = details.$metadata?.httpStatusCode;
  const transient =
    TRANSIENT_ERROR_NAMES.has(name) ||
    TRANSIENT_ERROR_CODES.has(name) ||
    (typeof details.code === "string" && TRANSIENT_ERROR_CODES.has(details.code)) ||
    details.$fault === "server" ||
    (typeof status === "number" && status >= 500);
  return transient ? new TaskLookupUnavailableError(error, name) : new TaskLookupError(error, name);
}

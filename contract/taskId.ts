/**
 * The task ID rule, the same on the server and in every kit. The alphabet covers UUIDs and the
 * spec's `1234-5678-9012` style and keeps IDs safe to echo in errors and logs. An ID of dots only
 * (`.`, `..`) is refused: URL parsers, and API Gateway, collapse such a path segment, so no HTTP
 * client could ask for it.
 */
export const TASK_ID_PATTERN = /^(?!\.+$)[A-Za-z0-9._:-]{1,128}$/;

/** What a valid task_id looks like, for callers who sent something else. */
export const TASK_ID_RULE = "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-', and not only dots";

/** True when the ID keeps the rule, so it is safe to echo, to log and to put in a URL path. */
export function isWellFormedTaskId(raw: string): boolean {
  return TASK_ID_PATTERN.test(raw);
}

/**
 * A CorrelationId: the caller's own reference for a task (1-128 characters of the task ID's
 * alphabet), set by the processor at start and carried by the task's events.
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export const CORRELATION_ID_RULE = "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

export function isWellFormedCorrelationId(raw: unknown): raw is string {
  return typeof raw === "string" && CORRELATION_ID_PATTERN.test(raw);
}

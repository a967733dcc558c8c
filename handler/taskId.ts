import { InvalidTaskIdError, TaskIdMissingError } from "./errors";

const TASK_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/** What a valid task_id looks like, for callers who sent something else. */
export const TASK_ID_RULE = "must be 1-128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";

/**
 * Checks a task_id from the path before any I/O. The alphabet covers UUIDs and the
 * spec's `1234-5678-9012` style; it also keeps ids safe to echo in errors and logs.
 */
export function parseTaskId(raw: string | undefined): string {
  if (raw === undefined) throw new TaskIdMissingError();
  if (!isWellFormedTaskId(raw)) throw new InvalidTaskIdError(TASK_ID_RULE);
  return raw;
}

/** True when the id matches the rule, so it is safe to echo and to log. */
export function isWellFormedTaskId(raw: string): boolean {
  return TASK_ID_PATTERN.test(raw);
}

import { isWellFormedTaskId } from "task-api-contract";
import { InvalidTaskIdError, TaskIdMissingError } from "./errors";

/** Checks a task_id from the path before any I/O, by the contract's ID rule. */
export function parseTaskId(raw: string | undefined): string {
  if (raw === undefined) throw new TaskIdMissingError();
  if (!isWellFormedTaskId(raw)) throw new InvalidTaskIdError();
  return raw;
}

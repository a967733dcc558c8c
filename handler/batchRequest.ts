import { BATCH_GET_MAX_IDS, BATCH_GET_MESSAGES, isWellFormedTaskId } from "@task-api/contract";
import { BatchRequestError, UnsupportedContentTypeError } from "./errors";

/**
 * The task IDs a POST /tasks/batch-get asks for, in the order asked, each once: checked before
 * any I/O. A body that is not declared JSON answers 415; anything else wrong, 400 naming what
 * (for an ID, its position; the input is never echoed).
 */
export function parseBatchRequest(contentType: string | undefined, body: string | undefined): string[] {
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType.trim())) {
    throw new UnsupportedContentTypeError(BATCH_GET_MESSAGES.notJsonContentType);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body ?? "");
  } catch {
    throw new BatchRequestError(BATCH_GET_MESSAGES.notJson);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !("TaskIds" in parsed)) {
    throw new BatchRequestError(BATCH_GET_MESSAGES.noTaskIds);
  }
  const ids: unknown = parsed.TaskIds;
  if (!Array.isArray(ids)) throw new BatchRequestError(BATCH_GET_MESSAGES.notArray);
  if (ids.length === 0) throw new BatchRequestError(BATCH_GET_MESSAGES.empty);
  if (ids.length > BATCH_GET_MAX_IDS) throw new BatchRequestError(BATCH_GET_MESSAGES.tooMany(BATCH_GET_MAX_IDS));
  ids.forEach((id, position) => {
    if (typeof id !== "string" || !isWellFormedTaskId(id)) {
      throw new BatchRequestError(BATCH_GET_MESSAGES.invalidId(position));
    }
  });
  return [...new Set(ids as string[])];
}

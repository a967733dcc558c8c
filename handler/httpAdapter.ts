import { BATCH_GET_ROUTE_KEY, isWellFormedTaskId } from "@task-api/contract";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from "aws-lambda";
import { parseBatchRequest } from "./batchRequest";
import { cachingHeaders, NO_STORE_HEADERS, versionsInIfNoneMatch } from "./conditionalRequest";
import { TaskApiError, TaskLookupError, TaskLookupUnavailableError } from "./errors";
import { jsonResponse } from "./jsonResponse";
import type { TaskStatusService } from "./taskStatusService";

/** The structured logger the adapter drives (Powertools Logger in production). */
export interface RequestLogger {
  addContext(context: Context): void;
  appendKeys(keys: Record<string, string>): void;
  resetKeys(): void;
  debug(message: string, attributes: Record<string, unknown>): void;
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

/** Time kept back from the function's remaining time for shaping and sending the answer. */
const RESPONSE_MARGIN_MS = 500;

export type TaskStatusHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * The HTTP edge: an API Gateway payload-2.0 event in, the spec's JSON answer out. It never
 * throws: every failure becomes the spec's error body, and 5xx details stay in the log.
 */
export function createHttpAdapter(service: TaskStatusService, logger: RequestLogger): TaskStatusHandler {
  return async (event, context) => {
    const batch = event.routeKey === BATCH_GET_ROUTE_KEY;
    const rawTaskId = event.pathParameters?.task_id;
    logger.addContext(context);
    logger.appendKeys({
      apiRequestId: event.requestContext?.requestId ?? "(none)",
      // Only a valid id is logged as itself; anything else could be an attempt at log injection.
      taskId: batch
        ? "(batch)"
        : rawTaskId === undefined
          ? "(none)"
          : isWellFormedTaskId(rawTaskId)
            ? rawTaskId
            : "(invalid)",
    });
    try {
      // The read gives up in time for this answer to leave before Lambda's timeout.
      const signal = AbortSignal.timeout(Math.max(1, context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS));
      if (batch) return await answerBatch(service, event, signal, logger);
      const knownVersions = versionsInIfNoneMatch(headerOf(event, "if-none-match"));
      const answer = await service.getTaskStatus(rawTaskId, knownVersions, signal);
      // DEBUG: the API's access log already records every answer (task ID, status, latency), so a
      // successful poll costs no log line unless the stack asks for one (logLevel DEBUG).
      logger.debug("Task status answered", {
        status: answer.status ?? null,
        notModified: answer.task === undefined,
        signedUrl: answer.task?.TargetObjectURL !== undefined,
      });
      return jsonResponse(answer.task === undefined ? 304 : 200, answer.task, cachingHeaders(answer));
    } catch (error) {
      const failure = error instanceof TaskApiError ? error : new TaskLookupError(error);
      if (failure.statusCode >= 500) {
        logger.error("Task status lookup failed", {
          statusCode: failure.statusCode,
          failure: failure.message,
          error: failure.cause ?? failure,
        });
      } else {
        logger.info("Task status refused", { statusCode: failure.statusCode, reason: failure.name });
      }
      const headers: Record<string, string> = { ...NO_STORE_HEADERS };
      if (failure instanceof TaskLookupUnavailableError) headers["retry-after"] = String(failure.retryAfterSeconds);
      return jsonResponse(failure.statusCode, { error: failure.message }, headers);
    } finally {
      logger.resetKeys();
    }
  };
}

/**
 * POST /tasks/batch-get: `{"Tasks": [...], "NotFound": [...]}`, never cached (the body holds
 * URLs and many tasks' states at once), with the soonest poll hint as Retry-After.
 */
async function answerBatch(
  service: TaskStatusService,
  event: APIGatewayProxyEventV2,
  signal: AbortSignal,
  logger: RequestLogger,
): Promise<APIGatewayProxyStructuredResultV2> {
  const body =
    event.body !== undefined && event.isBase64Encoded ? Buffer.from(event.body, "base64").toString("utf8") : event.body;
  const taskIds = parseBatchRequest(headerOf(event, "content-type"), body);
  const answer = await service.getTasks(taskIds, signal);
  logger.debug("Task statuses answered", { asked: taskIds.length, notFound: answer.notFound.length });
  const headers: Record<string, string> = { ...NO_STORE_HEADERS };
  if (answer.retryAfterSeconds !== undefined) headers["retry-after"] = String(answer.retryAfterSeconds);
  return jsonResponse(200, { Tasks: answer.tasks, NotFound: answer.notFound }, headers);
}

/** A request header; API Gateway lower-cases names in payload 2.0, but a hand-made event may not. */
function headerOf(event: APIGatewayProxyEventV2, name: string): string | undefined {
  const headers = event.headers ?? {};
  return headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
}

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { type EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import {
  TASK_EVENT_DETAIL_TYPES,
  TASK_EVENT_SOURCE,
  TASK_ID_ATTRIBUTE,
  type TaskEventDetail,
  type TaskEventStatus,
  taskEventDetail,
} from "@task-api/contract";
import { TaskNotFoundError, TaskTransitionError } from "./errors.js";
import { readTaskRecord } from "./taskRecord.js";

/**
 * Puts a finished task's event on the stack's bus again, built from the task's record as the
 * table holds it now: the recovery for an event that ended in the pipes' dead-letter queue (whose
 * message points at stream records that are gone after 24 hours). Throws TaskNotFoundError for
 * no task, and TaskTransitionError for a task that has not finished (it has no event yet).
 */
export async function republishTaskEvent(args: {
  dynamo: DynamoDBClient;
  events: EventBridgeClient;
  tableName: string;
  busName: string;
  stack: string;
  taskId: string;
}): Promise<TaskEventDetail> {
  const { Item } = await DynamoDBDocumentClient.from(args.dynamo).send(
    new GetCommand({ TableName: args.tableName, Key: { [TASK_ID_ATTRIBUTE]: args.taskId }, ConsistentRead: true }),
  );
  if (Item === undefined) throw new TaskNotFoundError(args.taskId);
  const status = Item.Status;
  if (typeof status !== "string" || !(status in TASK_EVENT_DETAIL_TYPES)) {
    throw new TaskTransitionError(args.taskId, String(status), "an event (it has not finished)", readTaskRecord(Item));
  }
  const detail = taskEventDetail(Item, status as TaskEventStatus, args.stack);
  const result = await args.events.send(
    new PutEventsCommand({
      Entries: [
        {
          EventBusName: args.busName,
          Source: TASK_EVENT_SOURCE,
          DetailType: TASK_EVENT_DETAIL_TYPES[status as TaskEventStatus],
          Detail: JSON.stringify(detail),
        },
      ],
    }),
  );
  const failed = result.Entries?.[0];
  if ((result.FailedEntryCount ?? 0) > 0) {
    throw new Error(`EventBridge refused the event: ${failed?.ErrorCode ?? "?"} ${failed?.ErrorMessage ?? ""}`.trim());
  }
  return detail;
}

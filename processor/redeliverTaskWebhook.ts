import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { CALLBACK_URL_ATTRIBUTE, TASK_ID_ATTRIBUTE, type WebhookJob } from "@task-api/contract";
import { InvalidTaskInputError, TaskNotFoundError, TaskTransitionError } from "./errors.js";
import { readTaskRecord } from "./taskRecord.js";

/**
 * Queues a finished task's webhook again: the recovery for a delivery that ended in the dead-letter
 * queue after its last attempt. The sender makes it with the same `webhook-id` (a receiver that
 * took the first one sees a duplicate) and a fresh schedule of attempts. Throws TaskNotFoundError
 * for no task, TaskTransitionError for a task that has not finished, InvalidTaskInputError for a
 * task started without a CallbackUrl. Needs dynamodb:GetItem and sqs:SendMessage on the queue.
 */
export async function redeliverTaskWebhook(args: {
  dynamo: DynamoDBClient;
  sqs: SQSClient;
  tableName: string;
  /** The sender's queue (`pulumi stack output webhookQueueUrl`). */
  queueUrl: string;
  taskId: string;
}): Promise<WebhookJob & { CallbackUrl: string }> {
  const { Item } = await DynamoDBDocumentClient.from(args.dynamo).send(
    new GetCommand({ TableName: args.tableName, Key: { [TASK_ID_ATTRIBUTE]: args.taskId }, ConsistentRead: true }),
  );
  if (Item === undefined) throw new TaskNotFoundError(args.taskId);
  const record = readTaskRecord(Item);
  const status = record.Status;
  if (status !== "completed" && status !== "failed") {
    throw new TaskTransitionError(args.taskId, String(status), "a webhook (it has not finished)", record);
  }
  const callbackUrl = record[CALLBACK_URL_ATTRIBUTE];
  if (callbackUrl === undefined) {
    throw new InvalidTaskInputError(`task ${args.taskId} was started without a CallbackUrl: it has no webhook`);
  }
  const job: WebhookJob = { TaskId: args.taskId, Status: status };
  await args.sqs.send(new SendMessageCommand({ QueueUrl: args.queueUrl, MessageBody: JSON.stringify(job) }));
  return { ...job, CallbackUrl: callbackUrl };
}

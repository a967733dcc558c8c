import { BATCH_GET_ROUTE_KEY, TASK_ROUTE_KEY } from "./route.js";

/**
 * What the service's parts may do in AWS, as IAM actions and resource shapes: written once for
 * the Pulumi program that grants them and the policy pack that checks every grant.
 */

/** A processor's item actions: create a task record (PutItem) and move it on (UpdateItem). */
export const PROCESSOR_ITEM_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem"] as const;

/**
 * The API function's reads of the task table: GET /task/{task_id} sends GetItem, POST
 * /tasks/batch-get sends BatchGetItem, an IAM action of its own (a GetItem grant does not cover it).
 */
export const API_FUNCTION_TABLE_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem"] as const;

/** The deadline sweeper: it finds due tasks by querying the deadline indexes (on each index's ARN)... */
export const SWEEPER_INDEX_ACTIONS = ["dynamodb:Query"] as const;

/** ...and fails each one with a conditional UpdateItem (on the table's ARN). */
export const SWEEPER_TABLE_ACTIONS = ["dynamodb:UpdateItem"] as const;

/** `task-record republish`: read the finished task (GetItem on the table) and put its event (on the bus). */
export const REPUBLISH_TABLE_ACTIONS = ["dynamodb:GetItem"] as const;
export const REPUBLISH_BUS_ACTIONS = ["events:PutEvents"] as const;

/**
 * The webhook sender: it reads the task (GetItem on the table), as the API would answer it, and
 * its signing secret (GetSecretValue on the stack's secret)...
 */
export const SENDER_TABLE_ACTIONS = ["dynamodb:GetItem"] as const;
export const SENDER_SECRET_ACTIONS = ["secretsmanager:GetSecretValue"] as const;

/**
 * ...and takes its deliveries from its own queue: Lambda's SQS event source polls, deletes and
 * reads the queue's attributes with the function's role
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html), and the sender's code sets a failed
 * delivery's next attempt with ChangeMessageVisibility.
 */
export const SENDER_QUEUE_ACTIONS = [
  "sqs:ReceiveMessage",
  "sqs:DeleteMessage",
  "sqs:GetQueueAttributes",
  "sqs:ChangeMessageVisibility",
] as const;

/** `task-record redeliver`: read the finished task (GetItem) and queue its delivery again (on the sender's queue). */
export const REDELIVER_QUEUE_ACTIONS = ["sqs:SendMessage"] as const;

/**
 * What a pipe needs to read a DynamoDB stream (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-dynamodb.html),
 * granted on the stream's ARN.
 */
export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
] as const;

/**
 * The stream action of that page that takes no resource: AWS's service authorization reference
 * lists dynamodb:ListStreams with no resource type, so only `"Resource": "*"` grants it.
 */
export const STREAM_LIST_ACTIONS = ["dynamodb:ListStreams"] as const;

/** The routes callers are granted (execute-api:Invoke): both are reads. */
export const CALLER_ROUTE_KEYS = [TASK_ROUTE_KEY, BATCH_GET_ROUTE_KEY] as const;

/**
 * A route's part of an execute-api resource ARN, after the stage: "GET /task/{task_id}" is
 * "GET/task/*" (a path parameter matches any value).
 */
export function routeResource(routeKey: string): string {
  return routeKey.replace(" /", "/").replace(/\{[^}/]+\}/g, "*");
}

// A key ARN (not an alias): IAM grants and DynamoDB's server-side encryption take the key itself.
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;

/** Whether `value` is a KMS key ARN, arn:aws:kms:<region>:<account>:key/<id>. */
export function isKmsKeyArn(value: string): boolean {
  return KMS_KEY_ARN.test(value);
}

import { BATCH_GET_ROUTE_KEY, TASK_ROUTE_KEY } from "./route";

/**
 * What the service's parts may do in AWS, as IAM actions and resource shapes: written once for
 * the Pulumi program that grants them and the policy pack that checks every grant.
 */

/** A processor's item actions: create a task record (PutItem) and move it on (UpdateItem). */
export const PROCESSOR_ITEM_ACTIONS = ["dynamodb:PutItem", "dynamodb:UpdateItem"] as const;

/** What a pipe needs to read a DynamoDB stream (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-pipes-dynamodb.html). */
export const STREAM_READ_ACTIONS = [
  "dynamodb:DescribeStream",
  "dynamodb:GetRecords",
  "dynamodb:GetShardIterator",
  "dynamodb:ListStreams",
] as const;

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

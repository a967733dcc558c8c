import * as aws from "@pulumi/aws";
import { TASK_ID_ATTRIBUTE, TASK_TTL_ATTRIBUTE } from "../handler/taskRecord";

/**
 * The task table. Only the key is declared (DynamoDB is schemaless); the record processors write,
 * per the spec, is:
 *   TaskId (S, hash key), Status (S: processing | completed | failed), SourceKey, TargetKey,
 *   SourceBucket, TargetBucket, TaskType, Created_at, Updated_at (S), ErrorMessage (S, optional),
 *   Result (S, optional: deblindwatermark), ExpiresAt (N, optional: epoch seconds for TTL).
 */
export function createTaskTable(): aws.dynamodb.Table {
  return new aws.dynamodb.Table("tasks", {
    attributes: [{ name: TASK_ID_ATTRIBUTE, type: "S" }],
    hashKey: TASK_ID_ATTRIBUTE,
    billingMode: "PAY_PER_REQUEST",
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true },
    deletionProtectionEnabled: true,
    ttl: { attributeName: TASK_TTL_ATTRIBUTE, enabled: true },
  });
}

import * as aws from "@pulumi/aws";
import { TASK_ID_ATTRIBUTE, TASK_TTL_ATTRIBUTE } from "task-api-contract";
import type { StackConfig } from "./stackConfig";

/**
 * The task table. Only the key is declared (DynamoDB is schemaless); the record processors write,
 * per the spec, is:
 *   TaskId (S, hash key), Status (S: processing | completed | failed), SourceKey, TargetKey,
 *   SourceBucket, TargetBucket, TaskType, Created_at, Updated_at (S), ErrorMessage (S, optional),
 *   Result (S, optional: deblindwatermark), ExpiresAt (N, optional: epoch seconds for TTL).
 *
 * Protection is one decision per stack (`protectTable`): DynamoDB's deletion protection stops a
 * delete that reaches AWS, and Pulumi's `protect` stops `destroy` and any change that would
 * replace the table (a new, empty table) at preview, before anything is created or deleted.
 */
export function createTaskTable(
  config: Pick<StackConfig, "protectTable" | "tableKmsKeyArn" | "taskEvents">,
): aws.dynamodb.Table {
  return new aws.dynamodb.Table(
    "tasks",
    {
      attributes: [{ name: TASK_ID_ATTRIBUTE, type: "S" }],
      hashKey: TASK_ID_ATTRIBUTE,
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      // DynamoDB always encrypts at rest. `enabled: false` is the AWS-owned key, at no charge;
      // `enabled: true` without a key would be the AWS-managed KMS key, billed per KMS request.
      serverSideEncryption:
        config.tableKmsKeyArn === undefined ? { enabled: false } : { enabled: true, kmsKeyArn: config.tableKmsKeyArn },
      deletionProtectionEnabled: config.protectTable,
      ttl: { attributeName: TASK_TTL_ATTRIBUTE, enabled: true },
      // Task events read the stream; the old image tells a change of status from a rewrite.
      ...(config.taskEvents ? { streamEnabled: true, streamViewType: "NEW_AND_OLD_IMAGES" } : {}),
    },
    { protect: config.protectTable },
  );
}

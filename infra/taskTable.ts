import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { TASK_TABLE } from "@task-api/contract";
import type { StackConfig } from "./stackConfig";

/** The table's logical name; Pulumi names the table `tasks-<suffix>` (deploy permissions match on it). */
export const TASK_TABLE_LOGICAL_NAME = "tasks";

/**
 * The task table, rendered from the contract's TASK_TABLE (key, TTL, stream, the sweeper's two
 * sparse deadline indexes) so that `task-record create-table` and the local server make the same
 * one. The record itself is documented by schemas/task-record.schema.json.
 *
 * Protection is one decision per stack (`protectTable`): DynamoDB's deletion protection stops a
 * delete that reaches AWS, and Pulumi's `protect` stops `destroy` and any change that would
 * replace the table (a new, empty table) at preview, before anything is created or deleted.
 */
export function defineTaskTable(
  config: Pick<StackConfig, "protectTable" | "tableKmsKeyArn" | "taskEvents">,
  parent: pulumi.Resource,
): aws.dynamodb.Table {
  return new aws.dynamodb.Table(
    TASK_TABLE_LOGICAL_NAME,
    {
      attributes: TASK_TABLE.keyAttributes.map(({ name, type }) => ({ name, type })),
      hashKey: TASK_TABLE.hashKey,
      globalSecondaryIndexes: TASK_TABLE.indexes.map((index) => ({
        name: index.name,
        keySchemas: [
          { attributeName: index.partitionKey, keyType: "HASH" },
          { attributeName: index.sortKey, keyType: "RANGE" },
        ],
        projectionType: "INCLUDE",
        nonKeyAttributes: [...index.projectedAttributes],
      })),
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      // DynamoDB always encrypts at rest. `enabled: false` is the AWS-owned key, at no charge;
      // `enabled: true` without a key would be the AWS-managed KMS key, billed per KMS request.
      serverSideEncryption:
        config.tableKmsKeyArn === undefined ? { enabled: false } : { enabled: true, kmsKeyArn: config.tableKmsKeyArn },
      deletionProtectionEnabled: config.protectTable,
      ttl: { attributeName: TASK_TABLE.ttlAttribute, enabled: true },
      ...(config.taskEvents ? { streamEnabled: true, streamViewType: TASK_TABLE.streamViewType } : {}),
    },
    { parent, protect: config.protectTable },
  );
}

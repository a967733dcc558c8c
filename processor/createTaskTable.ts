import {
  CreateTableCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { TASK_TABLE } from "@task-api/contract";

/**
 * Creates the task table exactly as the Pulumi program defines it (the contract's TASK_TABLE):
 * hash key TaskId, on demand, the stream with both images, the sweeper's two sparse deadline
 * indexes, and the TTL on ExpiresAt. For a processor's own tests on DynamoDB Local, and the
 * local server; a deployed stack's table is the program's.
 */
export async function createTaskTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: TASK_TABLE.keyAttributes.map(({ name, type }) => ({
        AttributeName: name,
        AttributeType: type,
      })),
      KeySchema: [{ AttributeName: TASK_TABLE.hashKey, KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
      StreamSpecification: { StreamEnabled: true, StreamViewType: TASK_TABLE.streamViewType },
      GlobalSecondaryIndexes: TASK_TABLE.indexes.map((index) => ({
        IndexName: index.name,
        KeySchema: [
          { AttributeName: index.partitionKey, KeyType: "HASH" },
          { AttributeName: index.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "INCLUDE", NonKeyAttributes: [...index.projectedAttributes] },
      })),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TASK_TABLE.ttlAttribute, Enabled: true },
    }),
  );
}

// The SDK floor for the warm benchmark: a handler that does nothing but the one call the real
// function cannot avoid, a lib-dynamodb GetCommand for the task ID, with the same client
// settings and credentials from the environment, and answers its item as JSON.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";

const documents = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    region: process.env.AWS_REGION,
    credentials: fromEnv(),
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 500, requestTimeout: 1000, throwOnRequestTimeout: true },
  }),
);

export const handler = async (event) => {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: process.env.DDB_TABLE_NAME,
      Key: { TaskId: event.pathParameters.task_id },
      ConsistentRead: true,
    }),
  );
  return { statusCode: Item === undefined ? 404 : 200, body: JSON.stringify(Item ?? {}) };
};

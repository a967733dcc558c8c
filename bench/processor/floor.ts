/**
 * The processor's floor: the same three writes with nothing but lib-dynamodb (a PutCommand and
 * two bare UpdateCommands, no conditions), with the same default client. The kit's cold start is
 * read as a ratio to this (`npm run bench`).
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";

const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const TableName = process.env.DDB_TABLE_NAME ?? "tasks";

export async function handler(): Promise<{ statusCode: number }> {
  const TaskId = randomUUID();
  const now = () => new Date().toISOString();
  await documents.send(
    new PutCommand({
      TableName,
      Item: {
        TaskId,
        Status: "processing",
        TaskType: "image_watermarking",
        SourceBucket: "media-bucket",
        SourceKey: "original/image.jpg",
        Created_at: now(),
        Updated_at: now(),
      },
    }),
  );
  await documents.send(
    new UpdateCommand({
      TableName,
      Key: { TaskId },
      UpdateExpression: "SET Progress = :p, Updated_at = :u",
      ExpressionAttributeValues: { ":p": 40, ":u": now() },
    }),
  );
  const { Attributes } = await documents.send(
    new UpdateCommand({
      TableName,
      Key: { TaskId },
      UpdateExpression: "SET #s = :s, TargetBucket = :b, TargetKey = :k, Updated_at = :u",
      ExpressionAttributeNames: { "#s": "Status" },
      ExpressionAttributeValues: { ":s": "completed", ":b": "media-bucket", ":k": "processed/image.png", ":u": now() },
      ReturnValues: "ALL_NEW",
    }),
  );
  return { statusCode: Attributes?.Status === "completed" ? 200 : 500 };
}

/**
 * The cold-start floor: the least code that answers a completed task through the SDK the
 * function uses (one consistent lib-dynamodb GetCommand, one presigned S3 GET, credentials from
 * the environment, nothing else). `npm run bench` bundles it with the function's own esbuild
 * settings and stubs, so the function's cold start and bundle are read as ratios to what the SDK
 * alone costs.
 */

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { formatUrl } from "@aws-sdk/core/util";
import { fromEnv } from "@aws-sdk/credential-provider-env";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { S3RequestPresigner } from "@aws-sdk/s3-request-presigner";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";

const region = process.env.AWS_REGION ?? "us-east-1";
const credentials = fromEnv();
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({ region, credentials }));
const presigner = new S3RequestPresigner({ region, credentials, sha256: Hash.bind(null, "sha256") });

export async function handler(event: { pathParameters?: { task_id?: string } }) {
  const { Item } = await documents.send(
    new GetCommand({
      TableName: process.env.DDB_TABLE_NAME,
      Key: { TaskId: event.pathParameters?.task_id },
      ConsistentRead: true,
    }),
  );
  if (Item === undefined) return { statusCode: 404, body: "{}" };
  const hostname = `s3.${region}.amazonaws.com`;
  const signed = await presigner.presign(
    new HttpRequest({
      protocol: "https:",
      hostname,
      method: "GET",
      path: `/${Item.TargetBucket}/${String(Item.TargetKey).split("/").map(encodeURIComponent).join("/")}`,
      headers: { host: hostname },
    }),
    { expiresIn: 3600 },
  );
  return { statusCode: 200, body: JSON.stringify({ ...Item, TargetObjectURL: formatUrl(signed) }) };
}

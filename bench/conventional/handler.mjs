// The comparison point for `npm run bench`: the same GET /task/{task_id} written the
// conventional way, as most samples do it. Unbundled (node_modules resolved at require time),
// the full S3 client with getSignedUrl, the SDK's default credential chain, and the full
// DynamoDB document client. Same answers on the benchmarked paths; not deployed anywhere.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocument } from "@aws-sdk/lib-dynamodb";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";

const TABLE = process.env.DDB_TABLE_NAME;
const BUCKETS = (process.env.TARGET_BUCKETS ?? "").split(",").filter(Boolean);
const TTL = Number(process.env.URL_TTL_SECONDS ?? "3600");
const documents = DynamoDBDocument.from(new DynamoDBClient({}));
const s3 = new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
// The spec's fields (contract/taskRecord.ts has them; this baseline stays standalone plain JavaScript on purpose).
const FIELDS = [
  "TaskId",
  "Status",
  "Result",
  "TaskType",
  "SourceKey",
  "TargetKey",
  "SourceBucket",
  "TargetBucket",
  "Created_at",
  "Updated_at",
  "ErrorMessage",
];

const answer = (statusCode, body) => ({
  statusCode,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify(body),
});

export const handler = async (event) => {
  const taskId = event.pathParameters?.task_id;
  if (!taskId) return answer(400, { error: "task_id is required in path parameters" });
  try {
    const { Item } = await documents.get({ TableName: TABLE, Key: { TaskId: taskId }, ConsistentRead: true });
    if (!Item) return answer(404, { error: `Task not found: ${taskId}` });
    const task = Object.fromEntries(FIELDS.filter((f) => typeof Item[f] === "string").map((f) => [f, Item[f]]));
    if (task.Status === "completed" && task.TargetKey && BUCKETS.includes(task.TargetBucket)) {
      task.TargetObjectURL = await getSignedUrl(
        s3,
        new GetObjectCommand({ Bucket: task.TargetBucket, Key: task.TargetKey }),
        { expiresIn: TTL },
      );
    }
    console.log(JSON.stringify({ level: "INFO", message: "Task status answered", taskId }));
    return answer(200, task);
  } catch (error) {
    console.error(
      JSON.stringify({ level: "ERROR", message: "Task status lookup failed", taskId, error: String(error) }),
    );
    return answer(500, { error: `Failed to get task status: ${error.name}` });
  }
};

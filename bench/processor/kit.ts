/**
 * A processor's Lambda as its team would write it with the kit: one task started, moved to 40 %
 * and completed through TaskWriter, with the client it builds by default (region, credentials
 * and endpoint from the environment). `npm run bench` bundles it as a processor's build would
 * (bench/processor/bundle.ts: the kit as npm installs it, dist/, not this repository's sources).
 */
import { randomUUID } from "node:crypto";
import { TaskWriter } from "@task-api/processor";

const writer = new TaskWriter({ tableName: process.env.DDB_TABLE_NAME ?? "tasks" });

export async function handler(): Promise<{ statusCode: number }> {
  const task = await writer.start({
    TaskId: randomUUID(),
    TaskType: "image_watermarking",
    SourceBucket: "media-bucket",
    SourceKey: "original/image.jpg",
  });
  await writer.progress(task.TaskId, 40);
  const done = await writer.complete(task.TaskId, { TargetBucket: "media-bucket", TargetKey: "processed/image.png" });
  return { statusCode: done.Status === "completed" ? 200 : 500 };
}

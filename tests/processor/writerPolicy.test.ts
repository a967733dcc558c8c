import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { PROCESSOR_ITEM_ACTIONS } from "@task-api/contract";
import { TaskWriter } from "@task-api/processor";
import { expect } from "chai";
import { sharedBackends } from "../helpers/sharedBackends";

describe("the processor policy and the TaskWriter", function () {
  this.timeout(60_000);

  it("grant and use exactly the same DynamoDB actions, measured from every request the writer sends", async () => {
    const backends = await sharedBackends();
    const client = new DynamoDBClient({
      endpoint: backends.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: backends.env.AWS_REGION,
      credentials: { accessKeyId: backends.env.AWS_ACCESS_KEY_ID, secretAccessKey: backends.env.AWS_SECRET_ACCESS_KEY },
    });
    // Every operation the SDK sends, by name: IAM's action for it is dynamodb:<operation>.
    const used = new Set<string>();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        used.add(`dynamodb:${String(context.commandName).replace(/Command$/, "")}`);
        return next(args);
      },
      { step: "initialize", name: "recordOperations" },
    );
    const writer = new TaskWriter({ tableName: backends.env.DDB_TABLE_NAME, client });
    // Every path: writes that succeed, repeat, and are refused.
    const task = { TaskType: "document", SourceBucket: "media-bucket", SourceKey: "a.pdf" };
    const done = await writer.start(task);
    await writer.start({ ...task, TaskId: done.TaskId });
    await writer.start({ ...task, TaskId: done.TaskId, SourceKey: "b.pdf" }).catch(() => undefined);
    await writer.progress(done.TaskId, 50);
    await writer.progress(done.TaskId, 10);
    await writer.complete(done.TaskId);
    await writer.complete(done.TaskId);
    await writer.fail(done.TaskId, "late").catch(() => undefined);
    const broken = await writer.start(task);
    await writer.fail(broken.TaskId, "boom");
    await writer.progress("never-started", 1).catch(() => undefined);
    client.destroy();
    expect([...used].sort()).to.deep.equal([...PROCESSOR_ITEM_ACTIONS].sort());
  });
});

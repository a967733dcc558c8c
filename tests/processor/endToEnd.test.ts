import { expect } from "chai";
import { type PollEvent, TaskStatusClient } from "../../client";
import { RESULT_PNG, SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { TaskWriter } from "../../processor";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { sharedBackends } from "../helpers/sharedBackends";

describe("a task moving end to end: TaskWriter -> DynamoDB Local -> local server -> waitForTask", function () {
  this.timeout(60_000);
  let api: LocalApi;
  before(async () => {
    api = await startLocalApi({ POLL_INTERVAL_SECONDS: "1" });
  });
  after(() => api?.close());

  it("is seen processing with its progress, then resolves completed with a presigned URL that downloads the result", async () => {
    const backends = await sharedBackends();
    const writer = new TaskWriter({ tableName: backends.env.DDB_TABLE_NAME, client: backends.dynamo });
    const target = SPEC_EXAMPLE_TASKS.completed;
    const { TaskId } = await writer.start({
      TaskType: "document",
      SourceBucket: target.SourceBucket,
      SourceKey: target.SourceKey,
      TargetBucket: target.TargetBucket,
      TargetKey: target.TargetKey,
    });
    await writer.progress(TaskId, 40);

    const polls: PollEvent[] = [];
    const client = new TaskStatusClient({ endpoint: api.base, signing: "none" });
    const done = await client.waitForTask(TaskId, {
      maxWaitSeconds: 30,
      minDelaySeconds: 1,
      maxDelaySeconds: 2,
      onPoll: (event) => {
        polls.push(event);
        // The processor finishes once the caller has seen the task in progress.
        if (polls.length === 1) void writer.complete(TaskId);
      },
    });

    expect(polls[0]?.task).to.include({ TaskId, Status: "processing", Progress: 40 });
    expect(done).to.include({ TaskId, Status: "completed", Progress: 100, TargetKey: target.TargetKey });
    const download = await fetch(String(done.TargetObjectURL));
    expect(download.status).to.equal(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(RESULT_PNG)).to.equal(true);
  });
});

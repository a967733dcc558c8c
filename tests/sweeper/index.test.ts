import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { TaskWriter } from "@task-api/processor";
import { expect } from "chai";
import { createTaskTable } from "../../processor/createTaskTable";
import type { SweepReport } from "../../sweeper/sweepDeadlines";
import { captureLogOutput } from "../helpers/captureLogOutput";
import { makeContext } from "../helpers/factories";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";

describe("sweeper/index (the scheduled Lambda entry)", function () {
  this.timeout(60_000);

  it("sweeps the table its environment names with its DEADLINE_GRACE_SECONDS, within the invocation's time, and logs one line for what it failed", async () => {
    const backends = await sharedBackends();
    const tableName = `sweeper-entry-${process.pid}`;
    await createTaskTable(backends.dynamo, tableName);
    // Started a minute ago with a 2 s heartbeat: past its deadline now.
    const writer = new TaskWriter({ tableName, client: backends.dynamo, now: () => new Date(Date.now() - 60_000) });
    const { TaskId } = await writer.start(
      { TaskType: "document", SourceBucket: "media-bucket", SourceKey: "a.pdf" },
      { heartbeatSeconds: 2 },
    );
    // 20 s past its deadline: within the environment's 30 s grace, so left alone.
    const recent = new TaskWriter({ tableName, client: backends.dynamo, now: () => new Date(Date.now() - 22_000) });
    const within = await recent.start(
      { TaskType: "document", SourceBucket: "media-bucket", SourceKey: "b.pdf" },
      { heartbeatSeconds: 2 },
    );
    const env = {
      ...backends.env,
      DDB_TABLE_NAME: tableName,
      DEADLINE_GRACE_SECONDS: "30",
      POWERTOOLS_SERVICE_NAME: "task-api-test",
    };
    let report: SweepReport | undefined;
    const lines = await captureLogOutput(() =>
      withProcessEnv(env, async () => {
        const { handler } = await import("../../sweeper/index.js");
        report = await handler({}, makeContext("sweep-1", 5000));
      }),
    );
    expect(report).to.deep.include({ failed: 1, complete: true });
    const { Item } = await DynamoDBDocumentClient.from(backends.dynamo).send(
      new GetCommand({ TableName: tableName, Key: { TaskId }, ConsistentRead: true }),
    );
    expect(Item).to.include({
      Status: "failed",
      ErrorCode: "DEADLINE_EXCEEDED",
      ErrorMessage: "no progress report for 2 s (judged 30 s after the deadline)",
    });
    const left = await DynamoDBDocumentClient.from(backends.dynamo).send(
      new GetCommand({ TableName: tableName, Key: { TaskId: within.TaskId }, ConsistentRead: true }),
    );
    expect(left.Item).to.include({ Status: "processing" });
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0] ?? "{}")).to.include({
      level: "INFO",
      message: "Deadline sweep",
      service: "task-api-test",
      failed: 1,
      complete: true,
      function_request_id: "sweep-1",
    });
  });
});

import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { type PollEvent, TaskFailedError, TaskStatusClient } from "@task-api/client";
import { DEADLINE_GRACE_SECONDS } from "@task-api/contract";
import { TaskDeadlineExceededError, TaskWriter } from "@task-api/processor";
import { expect } from "chai";
import { runCli } from "../../client/cli";
import { RESULT_PNG, SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { runTaskRecordCli } from "../../processor/cli";
import { sweepDeadlines } from "../../sweeper/sweepDeadlines";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";
import { TextSink } from "../helpers/textSink";

/** The least grace a stack may set, so that the test waits as little as it can. */
const GRACE_SECONDS = DEADLINE_GRACE_SECONDS.min;

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

describe("deadlines, error codes and correlation end to end: task-record -> DynamoDB Local -> local server -> client and task-status", function () {
  this.timeout(60_000);
  let api: LocalApi;
  let writer: TaskWriter;
  let tableName: string;
  before(async () => {
    api = await startLocalApi({ DEADLINE_GRACE_SECONDS: String(GRACE_SECONDS) });
    const backends = await sharedBackends();
    tableName = backends.env.DDB_TABLE_NAME;
    writer = new TaskWriter({ tableName, client: backends.dynamo });
  });
  after(() => api?.close());

  const get = async (taskId: string) => {
    const response = await fetch(`${api.base}/task/${taskId}`);
    return { etag: response.headers.get("etag"), body: (await response.json()) as Record<string, unknown> };
  };
  /** The task-status CLI, in process: its exit code, stdout and stderr. */
  const taskStatus = async (...argv: string[]) => {
    const stdout = new TextSink();
    const stderr = new TextSink();
    const code = await runCli([...argv, "--endpoint", api.base, "--signing", "none"], { stdout, stderr, env: {} });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };

  it("answers a task with a 2 s heartbeat and no report failed from its deadline plus the grace on; the next sweep writes the same answer", async () => {
    const started = await writer.start(
      { TaskType: "document", SourceBucket: "media-bucket", SourceKey: "in/a.pdf" },
      { heartbeatSeconds: 2 },
    );
    const deadlineMs = Number(started.HeartbeatDeadline) * 1000;
    const failsAtMs = deadlineMs + GRACE_SECONDS * 1000;
    // Poll as a caller would, every 100 ms, until a poll sent after the deadline and its grace
    // comes back. A poll answered before then must say processing, and one sent at or after it
    // failed; what straddles it may say either. No bound on latency: the machine may be busy.
    let answer: Awaited<ReturnType<typeof get>> | undefined;
    let sentAfterDeadline = false;
    const polls: string[] = [];
    while (!sentAfterDeadline) {
      const sent = Date.now();
      answer = await get(started.TaskId);
      const received = Date.now();
      polls.push(String(answer.body.Status));
      if (received < failsAtMs) expect(answer.body.Status, "before the deadline's grace ended").to.equal("processing");
      if (sent >= failsAtMs) {
        expect(answer.body.Status, "after the deadline").to.equal("failed");
        sentAfterDeadline = true;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(polls[0]).to.equal("processing");
    expect(answer?.body).to.include({
      Status: "failed",
      ErrorCode: "DEADLINE_EXCEEDED",
      ErrorMessage: `no progress report for 2 s (judged ${GRACE_SECONDS} s after the deadline)`,
      Updated_at: new Date(deadlineMs).toISOString(),
    });

    // The sweeper, as the local server's timer and the stack's schedule run it, on the same table.
    const backends = await sharedBackends();
    await sweepDeadlines({
      documents: DynamoDBDocumentClient.from(backends.dynamo),
      tableName,
      graceSeconds: GRACE_SECONDS,
    });
    const stored = await DynamoDBDocumentClient.from(backends.dynamo).send(
      new GetCommand({ TableName: tableName, Key: { TaskId: started.TaskId }, ConsistentRead: true }),
    );
    expect(stored.Item).to.include({ Status: "failed", ErrorCode: "DEADLINE_EXCEEDED" });
    const after = await get(started.TaskId);
    expect(after).to.deep.equal(answer);

    // A completion that comes now is refused, and the API keeps answering failed.
    expect(await writer.complete(started.TaskId, { Result: "late" }).catch((e: unknown) => e)).to.be.instanceOf(
      TaskDeadlineExceededError,
    );
    expect((await get(started.TaskId)).body).to.deep.equal(answer?.body);
  });

  it("carries a processor's ErrorCode and the caller's CorrelationId through the API, the client and task-status", async () => {
    const { TaskId } = await writer.start({
      TaskType: "document",
      SourceBucket: "media-bucket",
      SourceKey: "in/b.docx",
      CorrelationId: "order-77",
    });
    const recordCli = new TextSink();
    // As a processor's shell would run it: endpoint, region and keys from the environment.
    const recorded = await withProcessEnv(api.env, () =>
      runTaskRecordCli(["fail", TaskId, "input", "is", "not", "a", "PDF", "--code", "NOT_A_PDF"], {
        stdout: recordCli,
        stderr: new TextSink(),
        env: { TASK_TABLE_NAME: tableName },
      }),
    );
    expect(recorded).to.equal(0);

    expect((await get(TaskId)).body).to.include({
      Status: "failed",
      ErrorMessage: "input is not a PDF",
      ErrorCode: "NOT_A_PDF",
      CorrelationId: "order-77",
    });
    const client = new TaskStatusClient({ endpoint: api.base, signing: "none" });
    const error = await client.waitForTask(TaskId, { maxWaitSeconds: 5 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TaskFailedError);
    expect((error as TaskFailedError).errorCode).to.equal("NOT_A_PDF");
    expect((error as TaskFailedError).task.CorrelationId).to.equal("order-77");

    const waited = await taskStatus("wait", TaskId);
    expect(waited.code).to.equal(1);
    expect(waited.stderr).to.include(`Task ${TaskId} failed [NOT_A_PDF]: input is not a PDF`);
    expect(JSON.parse(waited.stdout)).to.include({ ErrorCode: "NOT_A_PDF", CorrelationId: "order-77" });
  });
});

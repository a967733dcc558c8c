/**
 * The two defects #31 reproduced, through a loopback proxy with a fixed plan between the kit and
 * DynamoDB Local: a write built before a deadline and delivered after it, and an answer that
 * never comes. No timing is asserted beyond generous bounds.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { TaskCallTimeoutError, TaskDeadlineExceededError, TaskWriter } from "@task-api/processor";
import { expect } from "chai";
import { EXIT, runTaskRecordCli } from "../../processor/cli";
import { type Fault, type FaultProxy, startFaultProxy } from "../../scripts/chaos/faultProxy";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";
import { TextSink } from "../helpers/textSink";

const GRACE_SECONDS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const sleepUntil = (epochMs: number) => sleep(Math.max(0, epochMs - Date.now()));

describe("deadlines under network delay (the kit through a fault proxy)", function () {
  this.timeout(60_000);
  let api: LocalApi;
  let proxy: FaultProxy;
  let fault: Fault["kind"] = "pass";
  let direct: TaskWriter;
  let sequence = 0;

  before(async () => {
    const backends = await sharedBackends();
    api = await startLocalApi({ DEADLINE_GRACE_SECONDS: String(GRACE_SECONDS) });
    proxy = await startFaultProxy(
      () => backends.env.AWS_ENDPOINT_URL_DYNAMODB,
      () => ({ kind: fault }) as Fault,
    );
    direct = new TaskWriter({ tableName: backends.env.DDB_TABLE_NAME, client: backends.dynamo });
  });
  after(async () => {
    await proxy?.close();
    await api?.close();
  });
  afterEach(() => {
    fault = "pass";
    proxy.release();
  });

  /** A writer whose requests go through the proxy, built at a fixed instant of its own clock. */
  const proxiedWriter = async (builtAtMs: number, options: { callTimeoutMs?: number } = {}) => {
    const backends = await sharedBackends();
    const client = new DynamoDBClient({
      endpoint: proxy.endpoint,
      region: backends.env.AWS_REGION,
      credentials: { accessKeyId: backends.env.AWS_ACCESS_KEY_ID, secretAccessKey: backends.env.AWS_SECRET_ACCESS_KEY },
    });
    return new TaskWriter({
      tableName: backends.env.DDB_TABLE_NAME,
      client,
      now: () => new Date(builtAtMs),
      callTimeoutMs: options.callTimeoutMs ?? 20_000,
    });
  };
  const status = async (taskId: string) => {
    const body = (await (await fetch(`${api.base}/task/${taskId}`)).json()) as Record<string, unknown>;
    return { Status: body.Status, Progress: body.Progress };
  };
  const startTask = async () => {
    sequence += 1;
    const task = await direct.start(
      {
        TaskId: `delay-${process.pid}-${sequence}`,
        TaskType: "document",
        SourceBucket: "media-bucket",
        SourceKey: "a.pdf",
      },
      { heartbeatSeconds: 2 },
    );
    return { taskId: task.TaskId, deadlineMs: Number(task.HeartbeatDeadline) * 1000 };
  };

  it("a completion built at +1.5 s of a 2 s heartbeat and delivered after the deadline stands, and the API never answers failed", async () => {
    const { taskId, deadlineMs } = await startTask();
    const writer = await proxiedWriter(deadlineMs - 500);
    fault = "hold";
    const completing = writer.complete(taskId, { Result: "done" });
    await sleepUntil(deadlineMs + 100);
    // Before #31 the API answered failed / DEADLINE_EXCEEDED here, and completed after the release.
    const during = await status(taskId);
    proxy.release();
    const completed = await completing;
    const after = await status(taskId);
    expect(during.Status).to.equal("processing");
    expect(completed.Status).to.equal("completed");
    expect(after.Status).to.equal("completed");
  });

  it("a progress report delivered after the deadline it was built before: processing, processing (40), never failed in between", async () => {
    const { taskId, deadlineMs } = await startTask();
    const writer = await proxiedWriter(deadlineMs - 500);
    fault = "hold";
    const reporting = writer.progress(taskId, 40);
    await sleepUntil(deadlineMs + 100);
    const during = await status(taskId);
    proxy.release();
    await reporting;
    const after = await status(taskId);
    expect([during, after]).to.deep.equal([
      { Status: "processing", Progress: undefined },
      { Status: "processing", Progress: 40 },
    ]);
  });

  it("a completion built after the deadline throws TaskDeadlineExceededError, and the API answers failed once the grace has passed", async () => {
    const { taskId, deadlineMs } = await startTask();
    const writer = await proxiedWriter(deadlineMs + 500);
    fault = "delay";
    const error = await writer.complete(taskId, { Result: "late" }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TaskDeadlineExceededError);
    await sleepUntil(deadlineMs + GRACE_SECONDS * 1000 + 100);
    expect((await status(taskId)).Status).to.equal("failed");
  });

  it("a withheld answer ends the call within its bound: TaskCallTimeoutError names the call and the time, from a given client too", async () => {
    const { taskId } = await startTask();
    fault = "hang";
    // A client of the caller's own, with none of the kit's timeouts: the call's bound still holds.
    const writer = await proxiedWriter(Date.now(), { callTimeoutMs: 1500 });
    const started = Date.now();
    const error = await writer.heartbeat(taskId).catch((e: unknown) => e);
    const tookMs = Date.now() - started;
    expect(error).to.be.instanceOf(TaskCallTimeoutError);
    expect((error as Error).message).to.match(new RegExp(`^heartbeat\\(${taskId}\\) gave up after \\d+\\.\\d s`));
    expect((error as TaskCallTimeoutError).callTimeoutMs).to.equal(1500);
    // A generous bound, not a timing: before #31 the call was still pending after 15 s.
    expect(tookMs).to.be.below(10_000);
  });

  it("task-record exits 5 on a withheld answer, naming the call, within --call-timeout", async () => {
    const { taskId } = await startTask();
    fault = "hang";
    const backends = await sharedBackends();
    const stderr = new TextSink();
    const code = await withProcessEnv(
      { AWS_ACCESS_KEY_ID: backends.env.AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: backends.env.AWS_SECRET_ACCESS_KEY },
      () =>
        runTaskRecordCli(
          [
            "heartbeat",
            taskId,
            "--endpoint",
            proxy.endpoint,
            "--region",
            backends.env.AWS_REGION,
            "--call-timeout",
            "1000",
          ],
          { stdout: new TextSink(), stderr, env: { TASK_TABLE_NAME: backends.env.DDB_TABLE_NAME } },
        ),
    );
    expect(code).to.equal(EXIT.timedOut);
    expect(stderr.text).to.match(new RegExp(`^heartbeat\\(${taskId}\\) gave up after`));
  });
});

import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { DescribeTableCommand, DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { TASK_TABLE } from "@task-api/contract";
import { expect } from "chai";
import { EXIT, runTaskRecordCli, USAGE } from "../../processor/cli";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";
import { TextSink } from "../helpers/textSink";

/** Runs task-record in-process with captured output, against the run's DynamoDB Local. */
async function taskRecord(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const backends = await sharedBackends();
  const stdout = new TextSink();
  const stderr = new TextSink();
  const env = { TASK_TABLE_NAME: backends.env.DDB_TABLE_NAME, ...extraEnv };
  // The SDK's credential chain reads the process environment: the emulator's keys.
  const credentials = {
    AWS_ACCESS_KEY_ID: backends.env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: backends.env.AWS_SECRET_ACCESS_KEY,
  };
  const endpoint = ["--endpoint", backends.env.AWS_ENDPOINT_URL_DYNAMODB, "--region", backends.env.AWS_REGION];
  const code = await withProcessEnv(credentials, () =>
    runTaskRecordCli([...args, ...endpoint], { stdout, stderr, env }),
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe("task-record CLI", function () {
  this.timeout(60_000);
  const id = `cli-${process.pid}`;
  const start = ["start", "--id", id, "--type", "document", "--source-bucket", "media-bucket", "--source-key", "a.pdf"];

  it("start, progress, complete: each prints the record as JSON and exits 0; a repeat exits 0 too", async () => {
    const started = await taskRecord(start);
    expect(started.code, started.stderr).to.equal(EXIT.written);
    expect(JSON.parse(started.stdout)).to.include({ TaskId: id, Status: "processing" });
    expect((await taskRecord(start)).code).to.equal(EXIT.written);
    const progressed = await taskRecord(["progress", id, "40"]);
    expect(JSON.parse(progressed.stdout)).to.include({ Progress: 40 });
    const completed = await taskRecord(["complete", id, "--result", "done"]);
    expect(JSON.parse(completed.stdout)).to.include({ Status: "completed", Result: "done" });
  });

  it("--json: every outcome one JSON document on stdout, nothing on stderr, with the same exit codes", async () => {
    const jsonId = `cli-json-${process.pid}`;
    const started = await taskRecord([...start.map((arg) => (arg === id ? jsonId : arg)), "--json"]);
    expect([started.code, started.stderr]).to.deep.equal([EXIT.written, ""]);
    expect(JSON.parse(started.stdout)).to.include({ TaskId: jsonId, Status: "processing" });
    await taskRecord(["fail", jsonId, "gave", "up", "--json"]);
    const refused = await taskRecord(["progress", jsonId, "50", "--json"]);
    expect([refused.code, refused.stderr]).to.deep.equal([EXIT.refused, ""]);
    const body = JSON.parse(refused.stdout);
    expect(body.error).to.include({ name: "TaskTransitionError", exitCode: EXIT.refused });
    expect(body.record).to.include({ TaskId: jsonId, Status: "failed", ErrorMessage: "gave up" });
    const missing = await taskRecord(["heartbeat", `cli-json-missing-${process.pid}`, "--json"]);
    expect([missing.code, JSON.parse(missing.stdout).error.exitCode]).to.deep.equal([EXIT.notFound, EXIT.notFound]);
    const usage = await taskRecord(["progress", "--json"]);
    expect([usage.code, usage.stderr, JSON.parse(usage.stdout).error.name]).to.deep.equal([
      EXIT.error,
      "",
      "UsageError",
    ]);
  });

  it("exits 3 on a record another writer left that it cannot read, printing it as stored", async () => {
    const backends = await sharedBackends();
    const foreign = `cli-foreign-${process.pid}`;
    // As another writer might leave it: in progress, with a Progress that is not a number.
    const stored = {
      TaskId: foreign,
      Status: "processing",
      TaskType: "document",
      Progress: "forty",
      SourceBucket: "media-bucket",
      SourceKey: "a.pdf",
      Created_at: "2026-11-28T09:00:00.000Z",
      Updated_at: "2026-11-28T09:00:00.000Z",
    };
    await DynamoDBDocumentClient.from(backends.dynamo).send(
      new PutCommand({ TableName: backends.env.DDB_TABLE_NAME, Item: stored }),
    );
    const refused = await taskRecord(["progress", foreign, "10"]);
    expect(refused.code).to.equal(EXIT.refused);
    expect(JSON.parse(refused.stdout)).to.include({ TaskId: foreign, Progress: "forty" });
    expect(refused.stderr).to.equal(
      `Task ${foreign} in the table is malformed: Progress is not a number when present (it is "forty")\n`,
    );
  });

  it("exits 3 when a transition is refused, with the stored record on stdout and why on stderr", async () => {
    const refused = await taskRecord(["fail", id, "too", "late"]);
    expect(refused.code).to.equal(EXIT.refused);
    expect(JSON.parse(refused.stdout)).to.include({ TaskId: id, Status: "completed" });
    expect(refused.stderr).to.equal(`Task ${id} cannot go from completed to failed\n`);
  });

  it("starts with deadlines and a CorrelationId, heartbeats, and fails with an ErrorCode", async () => {
    const deadlined = `${id}-deadlines`;
    const started = await taskRecord([
      ...start.map((arg) => (arg === id ? deadlined : arg)),
      "--heartbeat",
      "60",
      "--timeout",
      "600",
      "--correlation-id",
      "order-77",
    ]);
    expect(started.code, started.stderr).to.equal(EXIT.written);
    expect(JSON.parse(started.stdout)).to.include({
      HeartbeatSeconds: 60,
      TimeoutSeconds: 600,
      CorrelationId: "order-77",
    });
    const beat = await taskRecord(["heartbeat", deadlined]);
    expect(beat.code, beat.stderr).to.equal(EXIT.written);
    expect(JSON.parse(beat.stdout).HeartbeatDeadline).to.be.at.least(JSON.parse(started.stdout).HeartbeatDeadline);
    const failed = await taskRecord(["fail", deadlined, "not", "a", "PDF", "--code", "NOT_A_PDF"]);
    expect(JSON.parse(failed.stdout)).to.include({
      Status: "failed",
      ErrorMessage: "not a PDF",
      ErrorCode: "NOT_A_PDF",
    });
    const reserved = await taskRecord(["fail", deadlined, "late", "--code", "DEADLINE_EXCEEDED"]);
    expect(reserved.code).to.equal(EXIT.error);
    expect(reserved.stderr).to.match(/^errorCode DEADLINE_EXCEEDED is reserved/);
    const badSeconds = await taskRecord([...start, "--heartbeat", "1m"]);
    expect(badSeconds.stderr).to.match(/^--heartbeat 1m is not a whole number of seconds/);
  });

  it("create-table makes the table as the program defines it: key, stream, both deadline indexes, TTL", async () => {
    const backends = await sharedBackends();
    const tableName = `cli-table-${process.pid}`;
    const created = await taskRecord(["create-table", "--table", tableName]);
    expect(created.code, created.stderr).to.equal(EXIT.written);
    const { Table } = await backends.dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.KeySchema).to.deep.equal([{ AttributeName: "TaskId", KeyType: "HASH" }]);
    expect(Table?.StreamSpecification).to.deep.equal({ StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" });
    expect(
      Table?.GlobalSecondaryIndexes?.map((index) => [
        index.IndexName,
        index.KeySchema?.map((key) => `${key.AttributeName} ${key.KeyType}`),
        index.Projection,
      ]),
    ).to.have.deep.members(
      TASK_TABLE.indexes.map((index) => [
        index.name,
        [`${index.partitionKey} HASH`, `${index.sortKey} RANGE`],
        { ProjectionType: "INCLUDE", NonKeyAttributes: [...index.projectedAttributes] },
      ]),
    );
    const ttl = await backends.dynamo.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    expect(ttl.TimeToLiveDescription).to.deep.include({ AttributeName: "ExpiresAt", TimeToLiveStatus: "ENABLED" });
    expect((await taskRecord(["create-table", "--table", tableName])).code).to.equal(EXIT.error);
  });

  it("exits 2 for a task that does not exist", async () => {
    const missing = await taskRecord(["progress", "no-such-task", "10"]);
    expect(missing.code).to.equal(EXIT.notFound);
    expect(missing.stderr).to.equal("Task not found: no-such-task\n");
  });

  it("exits 4 on usage errors, naming what is missing", async () => {
    const noType = await taskRecord(["start", "--source-bucket", "b", "--source-key", "k"]);
    expect(noType.code).to.equal(EXIT.error);
    expect(noType.stderr).to.match(/^start needs --type/);
    const badPercent = await taskRecord(["progress", id, "forty"]);
    expect(badPercent.stderr).to.match(/^forty is not a whole percentage from 0 to 100/);
    const badBound = await taskRecord(["heartbeat", id, "--call-timeout", "soon"]);
    expect([badBound.code, badBound.stderr]).to.satisfy(
      ([code, text]: [number, string]) =>
        code === EXIT.error && /^--call-timeout soon is not a whole number/.test(text),
    );
    const noAttempts = await taskRecord(["heartbeat", id, "--attempts", "0"]);
    expect([noAttempts.code, noAttempts.stderr]).to.satisfy(
      ([code, text]: [number, string]) =>
        code === EXIT.error && /^maxAttempts must be a whole number from 1 to 10/.test(text),
    );
    const noTableError = new TextSink();
    const noTable = await runTaskRecordCli(["progress", id, "1"], {
      stdout: new TextSink(),
      stderr: noTableError,
      env: {},
    });
    expect(noTable).to.equal(EXIT.error);
    expect(noTableError.text).to.match(/^no table: pass --table NAME or set TASK_TABLE_NAME/);
  });

  it("start --callback-url --estimated-seconds stores both; a URL or estimate out of the rules writes nothing", async () => {
    const backends = await sharedBackends();
    const stored = async (taskId: string) =>
      (
        await DynamoDBDocumentClient.from(backends.dynamo).send(
          new GetCommand({ TableName: backends.env.DDB_TABLE_NAME, Key: { TaskId: taskId }, ConsistentRead: true }),
        )
      ).Item;
    const hooked = `cli-hook-${process.pid}`;
    const withHook = start.map((arg) => (arg === id ? hooked : arg));
    const url = "https://hooks.example.com/tasks?token=abc";
    const started = await taskRecord([...withHook, "--callback-url", url, "--estimated-seconds", "90"]);
    expect(started.code, started.stderr).to.equal(EXIT.written);
    expect(await stored(hooked)).to.include({ CallbackUrl: url, EstimatedSeconds: 90 });

    const refusedUrl = `cli-hook-bad-${process.pid}`;
    const userInfo = await taskRecord([
      ...start.map((arg) => (arg === id ? refusedUrl : arg)),
      "--callback-url",
      "https://user:pass@hooks.example.com/",
    ]);
    expect(userInfo.code).to.equal(EXIT.error);
    expect(userInfo.stderr).to.match(/CallbackUrl/);
    const badEstimate = await taskRecord([
      ...start.map((arg) => (arg === id ? refusedUrl : arg)),
      "--estimated-seconds",
      "soon",
    ]);
    expect(badEstimate.code).to.equal(EXIT.error);
    expect(badEstimate.stderr).to.match(/^--estimated-seconds soon is not a whole/);
    expect(await stored(refusedUrl)).to.equal(undefined);
  });

  it("redeliver queues a finished task's webhook on the queue it is given (an SQS endpoint on loopback), and refuses an unfinished one", async () => {
    // A stand-in for SQS's JSON protocol: SendMessage's answer carries the body's MD5, which the
    // SDK checks.
    const sent: Array<{ target: string | undefined; body: { QueueUrl: string; MessageBody: string } }> = [];
    const sqs = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { QueueUrl: string; MessageBody: string };
        sent.push({ target: req.headers["x-amz-target"]?.toString(), body });
        const md5 = createHash("md5").update(body.MessageBody).digest("hex");
        res
          .writeHead(200, { "content-type": "application/x-amz-json-1.0" })
          .end(JSON.stringify({ MessageId: "m-1", MD5OfMessageBody: md5 }));
      });
    });
    await new Promise<void>((resolve) => sqs.listen(0, "127.0.0.1", resolve));
    const endpoint = `http://127.0.0.1:${(sqs.address() as AddressInfo).port}`;
    const queueUrl = `${endpoint}/000000000000/task-webhooks`;
    const hooked = `cli-redeliver-${process.pid}`;
    const redeliver = (taskId: string) =>
      taskRecord(["redeliver", taskId, "--queue", queueUrl], { AWS_ENDPOINT_URL_SQS: endpoint });
    try {
      await withProcessEnv({ AWS_ENDPOINT_URL_SQS: endpoint }, async () => {
        await taskRecord([
          ...start.map((arg) => (arg === id ? hooked : arg)),
          "--callback-url",
          "https://hooks.example.com/t",
        ]);
        const early = await redeliver(hooked);
        expect(early.code).to.equal(EXIT.refused);
        await taskRecord(["complete", hooked, "--result", "done"]);
        const queued = await redeliver(hooked);
        expect(queued.code, queued.stderr).to.equal(EXIT.written);
        expect(JSON.parse(queued.stdout)).to.deep.equal({
          TaskId: hooked,
          Status: "completed",
          CallbackUrl: "https://hooks.example.com/t",
        });
        const withoutUrl = `cli-redeliver-nourl-${process.pid}`;
        await taskRecord([...start.map((arg) => (arg === id ? withoutUrl : arg))]);
        await taskRecord(["fail", withoutUrl, "broken"]);
        expect((await redeliver(withoutUrl)).code).to.equal(EXIT.error);
      });
      expect(sent).to.have.length(1);
      expect(sent[0]?.target).to.equal("AmazonSQS.SendMessage");
      expect(sent[0]?.body.QueueUrl).to.equal(queueUrl);
      expect(JSON.parse(sent[0]?.body.MessageBody ?? "")).to.deep.equal({ TaskId: hooked, Status: "completed" });
    } finally {
      sqs.closeAllConnections();
      await new Promise((resolve) => sqs.close(resolve));
    }
  });

  it("runs as npx task-record, printing its usage for --help", async () => {
    const { stdout } = await promisify(execFile)("npx", ["--no-install", "task-record", "--help"]);
    expect(stdout).to.equal(`${USAGE}\n`);
  });
});

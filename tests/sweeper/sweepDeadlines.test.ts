import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { DEADLINE_SHARDS, DEADLINES } from "@task-api/contract";
import { type NewTask, TaskDeadlineExceededError, TaskWriter } from "@task-api/processor";
import { expect } from "chai";
import { createTaskTable } from "../../processor/createTaskTable";
import { sweepDeadlines } from "../../sweeper/sweepDeadlines";
import { sharedBackends } from "../helpers/sharedBackends";

const T0 = new Date("2026-11-28T10:00:00.000Z");

describe("sweepDeadlines on DynamoDB Local", function () {
  this.timeout(60_000);
  // A table of its own: a sweep at a moved clock must not fail other tests' tasks.
  const tableName = `sweeper-${process.pid}`;
  let clock: Date;
  let documents: DynamoDBDocumentClient;
  let writer: TaskWriter;
  let sequence = 0;

  const at = (seconds: number) => {
    clock = new Date(T0.getTime() + seconds * 1000);
  };
  // Grace 0 unless a test says otherwise: the index and condition logic read at the deadline's instant.
  const sweep = (options: { shouldStop?: () => boolean; graceSeconds?: number } = {}) =>
    sweepDeadlines({ documents, tableName, now: () => clock, pageSize: 20, graceSeconds: 0, ...options });
  const read = async (taskId: string) =>
    (await documents.send(new GetCommand({ TableName: tableName, Key: { TaskId: taskId }, ConsistentRead: true })))
      .Item;
  const task = (overrides: Partial<NewTask> = {}): NewTask => {
    sequence += 1;
    return {
      TaskId: `sweep-${sequence}`,
      TaskType: "document",
      SourceBucket: "media-bucket",
      SourceKey: "a.pdf",
      ...overrides,
    };
  };
  /** Every task ID in one deadline index, over all its shards. */
  const indexed = async (kind: keyof typeof DEADLINES): Promise<string[]> => {
    const ids: string[] = [];
    for (let shard = 0; shard < DEADLINE_SHARDS; shard++) {
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: DEADLINES[kind].indexName,
          KeyConditionExpression: "#k = :shard",
          ExpressionAttributeNames: { "#k": DEADLINES[kind].shardAttribute },
          ExpressionAttributeValues: { ":shard": shard },
        }),
      );
      ids.push(...Items.map((item) => String(item.TaskId)));
    }
    return ids.sort();
  };

  before(async () => {
    const backends = await sharedBackends();
    await createTaskTable(backends.dynamo, tableName);
    documents = DynamoDBDocumentClient.from(backends.dynamo);
    writer = new TaskWriter({ tableName, client: backends.dynamo, now: () => clock });
  });
  beforeEach(async () => {
    at(0);
    // Each test starts from an empty sweep: whatever earlier tests left due is failed now, far ahead.
    at(10_000_000);
    await sweep();
    at(0);
  });

  it("holds in each index exactly the unfinished tasks with that deadline", async () => {
    const both = await writer.start(task(), { heartbeatSeconds: 30, timeoutSeconds: 300 });
    const beatOnly = await writer.start(task(), { heartbeatSeconds: 30 });
    const timeoutOnly = await writer.start(task(), { timeoutSeconds: 300 });
    const none = await writer.start(task());
    const completed = await writer.start(task(), { heartbeatSeconds: 30, timeoutSeconds: 300 });
    const failed = await writer.start(task(), { heartbeatSeconds: 30 });
    at(1);
    await writer.progress(timeoutOnly.TaskId, 10);
    await writer.progress(none.TaskId, 10);
    await writer.complete(completed.TaskId, { Result: "ok" });
    await writer.fail(failed.TaskId, "bad input", { errorCode: "BAD_INPUT" });
    const ids = (...records: Array<{ TaskId: string }>) => records.map((r) => r.TaskId).sort();
    expect(await indexed("heartbeat")).to.deep.equal(ids(both, beatOnly));
    expect(await indexed("timeout")).to.deep.equal(ids(both, timeoutOnly));
  });

  it("fails 50 tasks past their deadline in one run, each with its deadline's code, message and time, and leaves the index", async () => {
    const started = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        writer.start(task(), i % 2 === 0 ? { heartbeatSeconds: 2 } : { timeoutSeconds: 5 }),
      ),
    );
    const alive = await writer.start(task(), { heartbeatSeconds: 60 });
    at(5);
    const report = await sweep();
    expect(report).to.deep.include({ failed: 50, complete: true });
    for (const [i, { TaskId }] of started.entries()) {
      expect(await read(TaskId), TaskId).to.include({
        Status: "failed",
        ErrorCode: "DEADLINE_EXCEEDED",
        ErrorMessage: i % 2 === 0 ? "no progress report for 2 s" : "not finished within 5 s",
        Updated_at: i % 2 === 0 ? "2026-11-28T10:00:02.000Z" : "2026-11-28T10:00:05.000Z",
      });
      expect(await read(TaskId)).to.not.have.any.keys("HeartbeatShard", "TimeoutShard");
    }
    expect(await read(alive.TaskId)).to.include({ Status: "processing" });
    expect(await indexed("heartbeat")).to.deep.equal([alive.TaskId]);
    expect((await sweep()).failed).to.equal(0);
  });

  it("with a grace, leaves a task past its deadline alone until the grace ends, and then fails it as of the deadline, saying the grace", async () => {
    const started = await writer.start(task(), { heartbeatSeconds: 2 });
    at(2 + 9.9);
    expect((await sweep({ graceSeconds: 10 })).failed).to.equal(0);
    // A write the kit built before the deadline still lands within the grace.
    at(1.5);
    await writer.progress(started.TaskId, 50);
    at(3.5 + 10);
    expect((await sweep({ graceSeconds: 10 })).failed).to.equal(1);
    expect(await read(started.TaskId)).to.include({
      Status: "failed",
      ErrorMessage: "no progress report for 2 s (judged 10 s after the deadline)",
      Updated_at: "2026-11-28T10:00:03.500Z",
    });
  });

  it("keeps a task alive past several heartbeat periods while it reports, and fails it the period after it stops", async () => {
    const { TaskId } = await writer.start(task(), { heartbeatSeconds: 2 });
    for (const second of [1.5, 3, 4.5, 6]) {
      at(second);
      await (second === 3 ? writer.progress(TaskId, 50) : writer.heartbeat(TaskId));
      expect((await sweep()).failed, `at ${second} s`).to.equal(0);
    }
    at(7.9);
    expect((await sweep()).failed).to.equal(0);
    at(8);
    expect((await sweep()).failed).to.equal(1);
    expect(await read(TaskId)).to.include({ Status: "failed", Progress: 50, Updated_at: "2026-11-28T10:00:08.000Z" });
  });

  it("fails a task that keeps reporting once its timeout passes, and refuses its reports from then on", async () => {
    const { TaskId } = await writer.start(task(), { heartbeatSeconds: 2, timeoutSeconds: 5 });
    for (const second of [1, 2, 3, 4]) {
      at(second);
      await writer.progress(TaskId, second * 20);
    }
    at(5);
    const refused = await writer.progress(TaskId, 100).catch((e: unknown) => e);
    expect(refused).to.be.instanceOf(TaskDeadlineExceededError);
    expect((refused as TaskDeadlineExceededError).reason).to.equal("not finished within 5 s");
    expect((await sweep()).failed).to.equal(1);
    expect(await read(TaskId)).to.include({ ErrorMessage: "not finished within 5 s", Progress: 80 });
  });

  it("names the earlier deadline when a task has passed both by the time of the sweep", async () => {
    const { TaskId } = await writer.start(task(), { heartbeatSeconds: 2, timeoutSeconds: 5 });
    at(60);
    expect((await sweep()).failed).to.equal(1);
    expect(await read(TaskId)).to.include({
      ErrorMessage: "no progress report for 2 s",
      Updated_at: "2026-11-28T10:00:02.000Z",
    });
  });

  it("loses to a completion that lands between its query and its write, and leaves the task completed", async () => {
    const { TaskId } = await writer.start(task(), { heartbeatSeconds: 2 });
    const backends = await sharedBackends();
    // The processor finished at 1.999 s by its clock; its write reaches the table after the sweeper's query.
    const processor = new TaskWriter({ tableName, client: backends.dynamo, now: () => new Date(T0.getTime() + 1999) });
    let completed: Record<string, unknown> | undefined;
    const racing: Pick<DynamoDBDocumentClient, "send"> = {
      send: async (command: Parameters<DynamoDBDocumentClient["send"]>[0]) => {
        if (command instanceof UpdateCommand && completed === undefined) {
          completed = { ...(await processor.complete(TaskId, { Result: "done in time" })) };
        }
        return documents.send(command);
      },
    } as Pick<DynamoDBDocumentClient, "send">;
    at(30);
    const report = await sweepDeadlines({ documents: racing, tableName, now: () => clock, graceSeconds: 0 });
    expect(report).to.deep.include({ failed: 0, skipped: 1 });
    expect(completed).to.include({ Status: "completed" });
    expect(await read(TaskId)).to.deep.equal(completed);
  });

  it("refuses a completion after the deadline, before or after the sweep, leaving the failure", async () => {
    const { TaskId } = await writer.start(task(), { heartbeatSeconds: 2 });
    at(2);
    const early = await writer.complete(TaskId, { Result: "too late" }).catch((e: unknown) => e);
    expect(early).to.be.instanceOf(TaskDeadlineExceededError);
    await sweep();
    const swept = await read(TaskId);
    at(3);
    const late = await writer.complete(TaskId, { Result: "too late" }).catch((e: unknown) => e);
    expect(late).to.be.instanceOf(TaskDeadlineExceededError);
    expect((late as Error).message).to.include("no progress report for 2 s");
    expect(await read(TaskId)).to.deep.equal(swept);
  });

  it("stops when its time is spent and reports it incomplete; the next run takes the rest", async () => {
    await Promise.all(Array.from({ length: 30 }, () => writer.start(task(), { heartbeatSeconds: 1 })));
    at(2);
    let pages = 0;
    const first = await sweep({ shouldStop: () => ++pages > 1 });
    expect(first.complete).to.equal(false);
    expect(first.failed).to.be.below(30);
    const second = await sweep();
    expect(second).to.deep.include({ complete: true });
    expect(first.failed + second.failed).to.equal(30);
  });
});

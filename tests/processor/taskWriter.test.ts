import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import {
  InvalidTaskInputError,
  MalformedTaskRecordError,
  type NewTask,
  TaskAlreadyExistsError,
  TaskDeadlineExceededError,
  TaskNotFoundError,
  TaskOutOfOrderError,
  type TaskRecord,
  TaskTransitionError,
  TaskWriter,
} from "@task-api/processor";
import { expect } from "chai";
import { sharedBackends } from "../helpers/sharedBackends";

const T0 = new Date("2026-11-28T10:00:00.000Z");
let sequence = 0;

/** A task ID no other test uses. */
function freshId(label: string): string {
  sequence += 1;
  return `writer-${label}-${process.pid}-${sequence}`;
}

function newTask(overrides: Partial<NewTask> = {}): NewTask {
  return {
    TaskId: freshId("t"),
    TaskType: "document",
    SourceBucket: "media-bucket",
    SourceKey: "original/document.pdf",
    TargetBucket: "media-bucket",
    TargetKey: "processed/document.png",
    ...overrides,
  };
}

describe("TaskWriter on DynamoDB Local", function () {
  this.timeout(60_000);
  let clock: Date;
  let writer: TaskWriter;
  let read: (taskId: string) => Promise<Record<string, unknown> | undefined>;
  /** Puts an item as another writer might, bypassing TaskWriter. */
  let put: (item: Record<string, unknown>) => Promise<void>;

  /** Moves the writer's clock on by `ms`. */
  const tick = (ms = 1000) => {
    clock = new Date(clock.getTime() + ms);
  };

  before(async () => {
    const backends = await sharedBackends();
    const documents = DynamoDBDocumentClient.from(backends.dynamo);
    read = async (taskId) =>
      (
        await documents.send(
          new GetCommand({ TableName: backends.env.DDB_TABLE_NAME, Key: { TaskId: taskId }, ConsistentRead: true }),
        )
      ).Item;
    put = async (item) => {
      await documents.send(new PutCommand({ TableName: backends.env.DDB_TABLE_NAME, Item: item }));
    };
    writer = new TaskWriter({
      tableName: backends.env.DDB_TABLE_NAME,
      client: backends.dynamo,
      retentionDays: 7,
      now: () => clock,
    });
  });
  beforeEach(() => {
    clock = T0;
  });

  /** Expects `write` to be refused with `errorClass`, leaving the stored record exactly as it was. */
  async function expectRefused(
    taskId: string,
    write: () => Promise<unknown>,
    errorClass: new (...args: never[]) => Error,
  ) {
    const before = await read(taskId);
    tick();
    const error = await write().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(errorClass);
    expect(await read(taskId)).to.deep.equal(before);
    return error;
  }

  describe("start", () => {
    it("writes a processing record with the spec's fields, both timestamps now and ExpiresAt now + retention", async () => {
      const task = newTask();
      const record = await writer.start(task);
      expect(record).to.deep.equal({
        ...task,
        Status: "processing",
        Created_at: "2026-11-28T10:00:00.000Z",
        Updated_at: "2026-11-28T10:00:00.000Z",
        ExpiresAt: T0.getTime() / 1000 + 7 * 86_400,
      });
      expect(await read(record.TaskId)).to.deep.equal(record);
    });

    it("generates a UUID when no TaskId is given", async () => {
      const { TaskId: _none, ...task } = newTask();
      const record = await writer.start(task);
      expect(record.TaskId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    });

    it("succeeds without changing anything when repeated with the same content (a retried start)", async () => {
      const task = newTask();
      const first = await writer.start(task);
      tick();
      expect(await writer.start(task)).to.deep.equal(first);
      expect(await read(first.TaskId)).to.deep.equal(first);
    });

    it("throws TaskAlreadyExistsError, with the stored record, for the same ID with other content", async () => {
      const task = newTask();
      const first = await writer.start(task);
      const error = await expectRefused(
        first.TaskId,
        () => writer.start({ ...task, SourceKey: "other.pdf" }),
        TaskAlreadyExistsError,
      );
      expect((error as TaskAlreadyExistsError).record).to.deep.equal(first);
    });

    it("stores the deadlines (period, instant, index shard) and the CorrelationId it is started with", async () => {
      const task = newTask({ CorrelationId: "order-77" });
      const record = await writer.start(task, { heartbeatSeconds: 60, timeoutSeconds: 600 });
      const seconds = T0.getTime() / 1000;
      expect(record).to.deep.include({
        CorrelationId: "order-77",
        HeartbeatSeconds: 60,
        HeartbeatDeadline: seconds + 60,
        TimeoutSeconds: 600,
        TimeoutDeadline: seconds + 600,
      });
      expect(record.HeartbeatShard).to.be.within(0, 15);
      expect(record.TimeoutShard).to.equal(record.HeartbeatShard);
      expect(await read(record.TaskId)).to.deep.equal(record);
    });

    it("takes the writer's default deadlines, and a start's own over them", async () => {
      const backends = await sharedBackends();
      const strict = new TaskWriter({
        tableName: backends.env.DDB_TABLE_NAME,
        client: backends.dynamo,
        now: () => clock,
        heartbeatSeconds: 30,
        timeoutSeconds: 900,
      });
      expect(await strict.start(newTask())).to.include({ HeartbeatSeconds: 30, TimeoutSeconds: 900 });
      expect(await strict.start(newTask(), { heartbeatSeconds: 5 })).to.include({
        HeartbeatSeconds: 5,
        TimeoutSeconds: 900,
      });
    });

    it("refuses a deadline that is not whole seconds from 1 s to 30 days, and a malformed CorrelationId, before writing", async () => {
      for (const deadlines of [{ heartbeatSeconds: 0 }, { timeoutSeconds: 1.5 }, { timeoutSeconds: 2_592_001 }]) {
        const task = newTask();
        const error = await writer.start(task, deadlines).catch((e: unknown) => e);
        expect(error, JSON.stringify(deadlines)).to.be.instanceOf(InvalidTaskInputError);
        expect(await read(task.TaskId ?? "")).to.equal(undefined);
      }
      const task = newTask({ CorrelationId: "order 77" });
      expect(await writer.start(task).catch((e: unknown) => e)).to.be.instanceOf(InvalidTaskInputError);
      expect(await read(task.TaskId ?? "")).to.equal(undefined);
    });

    it("refuses an invalid ID or a missing field before writing anything", async () => {
      for (const bad of [newTask({ TaskId: ".." }), newTask({ TaskId: "a b" }), newTask({ SourceKey: "" })]) {
        const error = await writer.start(bad).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(InvalidTaskInputError);
        if (bad.TaskId !== undefined && bad.TaskId !== "..")
          expect(await read(bad.TaskId).catch(() => undefined)).to.equal(undefined);
      }
    });
  });

  describe("progress", () => {
    it("sets Progress and Updated_at on a task in progress", async () => {
      const { TaskId } = await writer.start(newTask());
      tick();
      const record = await writer.progress(TaskId, 40);
      expect(record).to.include({ Status: "processing", Progress: 40, Updated_at: "2026-11-28T10:00:01.000Z" });
      expect(await read(TaskId)).to.deep.equal(record);
    });

    it("never lowers Progress: a lower value changes nothing and returns the stored record", async () => {
      const { TaskId } = await writer.start(newTask());
      tick();
      const at60 = await writer.progress(TaskId, 60);
      tick();
      expect(await writer.progress(TaskId, 30)).to.deep.equal(at60);
      expect(await read(TaskId)).to.deep.equal(at60);
    });

    it("refuses progress on a finished task, leaving it unchanged", async () => {
      const { TaskId } = await writer.start(newTask());
      tick();
      await writer.complete(TaskId);
      const error = await expectRefused(TaskId, () => writer.progress(TaskId, 50), TaskTransitionError);
      expect(error).to.include({ from: "completed", to: "processing (progress)" });
    });

    it("refuses a percentage that is not a whole number from 0 to 100", async () => {
      const { TaskId } = await writer.start(newTask());
      for (const bad of [-1, 101, 40.5, Number.NaN]) {
        expect(await writer.progress(TaskId, bad).catch((e: unknown) => e)).to.be.instanceOf(InvalidTaskInputError);
      }
    });
  });

  describe("records another writer left in the table", () => {
    const foreign = (overrides: Record<string, unknown>) => ({
      TaskId: freshId("foreign"),
      TaskType: "image/deblindwatermark",
      SourceBucket: "media-bucket",
      SourceKey: "original/photo.png",
      Created_at: "2026-11-28T09:00:00.000Z",
      Updated_at: "2026-11-28T09:00:00.000Z",
      ...overrides,
    });

    it("refuses to act on a status outside the spec, naming the field and leaving the record as it was", async () => {
      const item = foreign({ Status: "done" });
      await put(item);
      const error = await expectRefused(item.TaskId, () => writer.progress(item.TaskId, 50), MalformedTaskRecordError);
      expect(error).to.include({ field: "Status" });
      expect((error as Error).message).to.equal(
        `Task ${item.TaskId} in the table is malformed: Status is not processing, completed or failed when present (it is "done")`,
      );
    });

    it("refuses a finished record whose Progress is not a number", async () => {
      const item = foreign({ Status: "completed", Progress: "100" });
      await put(item);
      const error = await expectRefused(item.TaskId, () => writer.complete(item.TaskId), MalformedTaskRecordError);
      expect(error).to.include({ field: "Progress", expected: "a number when present" });
    });

    it("reads a record with no Status (only a Result) as well-formed: completing it is a transition from no status", async () => {
      const item = foreign({ Result: "watermark: acme" });
      await put(item);
      const error = await expectRefused(item.TaskId, () => writer.complete(item.TaskId), TaskTransitionError);
      expect(error).to.include({ from: undefined, to: "completed" });
    });
  });

  describe("complete and fail", () => {
    it("completes a task in progress with its target or result, Progress 100", async () => {
      const { TaskId } = await writer.start(newTask({ TargetBucket: undefined, TargetKey: undefined }));
      tick();
      const record = await writer.complete(TaskId, { TargetBucket: "media-bucket", TargetKey: "out/x.png" });
      expect(record).to.include({
        Status: "completed",
        TargetBucket: "media-bucket",
        TargetKey: "out/x.png",
        Progress: 100,
        Updated_at: "2026-11-28T10:00:01.000Z",
        Created_at: "2026-11-28T10:00:00.000Z",
      });
    });

    it("fails a task in progress with the error callers will see", async () => {
      const { TaskId } = await writer.start(newTask());
      tick();
      expect(await writer.fail(TaskId, "insufficient memory")).to.include({
        Status: "failed",
        ErrorMessage: "insufficient memory",
      });
    });

    it("succeeds without changing anything when the same completion or failure is repeated", async () => {
      const done = await writer.start(newTask());
      tick();
      const completed = await writer.complete(done.TaskId, { Result: "ok" });
      tick();
      expect(await writer.complete(done.TaskId, { Result: "ok" })).to.deep.equal(completed);
      const broken = await writer.start(newTask());
      tick();
      const failed = await writer.fail(broken.TaskId, "boom");
      tick();
      expect(await writer.fail(broken.TaskId, "boom")).to.deep.equal(failed);
      expect(await read(broken.TaskId)).to.deep.equal(failed);
    });

    it("keeps terminal states final: each other move away from completed or failed is refused, the record unchanged", async () => {
      const completed = await writer.start(newTask());
      await writer.complete(completed.TaskId, { Result: "first" });
      const failed = await writer.start(newTask());
      await writer.fail(failed.TaskId, "first");
      const moves: Array<[string, () => Promise<unknown>, string, string]> = [
        [completed.TaskId, () => writer.fail(completed.TaskId, "late"), "completed", "failed"],
        [completed.TaskId, () => writer.complete(completed.TaskId, { Result: "second" }), "completed", "completed"],
        [failed.TaskId, () => writer.complete(failed.TaskId), "failed", "completed"],
        [failed.TaskId, () => writer.fail(failed.TaskId, "second"), "failed", "failed"],
      ];
      for (const [taskId, move, from, to] of moves) {
        const error = await expectRefused(taskId, move, TaskTransitionError);
        expect(error).to.include({ from, to });
        expect((error as TaskTransitionError).record).to.deep.equal(await read(taskId));
      }
    });

    it("throws TaskNotFoundError for a task never started", async () => {
      for (const write of [
        () => writer.progress("never-started", 5),
        () => writer.complete("never-started"),
        () => writer.fail("never-started", "x"),
      ]) {
        expect(await write().catch((e: unknown) => e)).to.be.instanceOf(TaskNotFoundError);
      }
      expect(await read("never-started")).to.equal(undefined);
    });

    it("never moves Updated_at back: a write whose clock is behind the record's is refused as out of order", async () => {
      const { TaskId } = await writer.start(newTask());
      tick(5000);
      await writer.progress(TaskId, 10);
      clock = new Date(T0.getTime() + 1000);
      const error = await writer.complete(TaskId).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(TaskOutOfOrderError);
      expect(await read(TaskId)).to.include({ Status: "processing", Updated_at: "2026-11-28T10:00:05.000Z" });
    });
  });

  describe("deadlines, heartbeats and error codes", () => {
    it("moves the heartbeat deadline on with each report, and never the timeout", async () => {
      const started = await writer.start(newTask(), { heartbeatSeconds: 10, timeoutSeconds: 600 });
      tick(4000);
      const progressed = await writer.progress(started.TaskId, 30);
      tick(4000);
      const beat = await writer.heartbeat(started.TaskId);
      const seconds = T0.getTime() / 1000;
      expect([progressed.HeartbeatDeadline, beat.HeartbeatDeadline]).to.deep.equal([seconds + 14, seconds + 18]);
      expect(beat).to.include({ TimeoutDeadline: seconds + 600, Progress: 30, Updated_at: "2026-11-28T10:00:08.000Z" });
    });

    it("refuses progress, heartbeat, completion and failure from the deadline on, leaving the record as it was", async () => {
      const { TaskId } = await writer.start(newTask(), { heartbeatSeconds: 5 });
      clock = new Date(T0.getTime() + 4000);
      const writes = [
        () => writer.progress(TaskId, 50),
        () => writer.heartbeat(TaskId),
        () => writer.complete(TaskId, { Result: "late" }),
        () => writer.fail(TaskId, "late"),
      ];
      for (const write of writes) {
        const error = await expectRefused(TaskId, write, TaskDeadlineExceededError);
        expect((error as TaskDeadlineExceededError).reason).to.equal("no progress report for 5 s");
        // A refusal for a deadline is a refused transition to code that already handles those.
        expect(error).to.be.instanceOf(TaskTransitionError);
      }
    });

    it("leaves the deadline indexes when the task finishes", async () => {
      const { TaskId } = await writer.start(newTask(), { heartbeatSeconds: 60, timeoutSeconds: 600 });
      tick();
      const completed = await writer.complete(TaskId, { Result: "ok" });
      expect(completed).to.not.have.any.keys("HeartbeatShard", "TimeoutShard");
      expect(completed).to.include({ HeartbeatSeconds: 60, TimeoutSeconds: 600 });
    });

    it("a report on a task without a heartbeat never makes it fail for one", async () => {
      const { TaskId } = await writer.start(newTask(), { timeoutSeconds: 600 });
      tick();
      await writer.progress(TaskId, 10);
      tick(300_000);
      expect(await writer.heartbeat(TaskId)).to.include({ Status: "processing", Progress: 10 });
    });

    it("stores an ErrorCode with a failure, and refuses a malformed or reserved one before writing", async () => {
      const { TaskId } = await writer.start(newTask());
      tick();
      for (const errorCode of ["out_of_memory", "DEADLINE_EXCEEDED", "X".repeat(65)]) {
        const error = await writer.fail(TaskId, "oops", { errorCode }).catch((e: unknown) => e);
        expect(error, errorCode).to.be.instanceOf(InvalidTaskInputError);
      }
      expect(await read(TaskId)).to.include({ Status: "processing" });
      const failed = await writer.fail(TaskId, "not a PDF", { errorCode: "NOT_A_PDF" });
      expect(failed).to.include({ Status: "failed", ErrorMessage: "not a PDF", ErrorCode: "NOT_A_PDF" });
      // The same failure again is a retry; the same message with another code is not.
      expect(await writer.fail(TaskId, "not a PDF", { errorCode: "NOT_A_PDF" })).to.deep.equal(failed);
      expect(await writer.fail(TaskId, "not a PDF").catch((e: unknown) => e)).to.be.instanceOf(TaskTransitionError);
    });
  });

  describe("races", () => {
    it("50 writers racing complete against fail on one task: exactly one wins, the rest are refused, one consistent outcome", async () => {
      const { TaskId } = await writer.start(newTask());
      tick();
      // Each writer's payload is its own, so only a true repeat could pass as idempotent.
      const outcomes = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          i % 2 === 0 ? writer.complete(TaskId, { Result: `worker-${i}` }) : writer.fail(TaskId, `worker-${i} failed`),
        ),
      );
      const winners = outcomes.filter((o) => o.status === "fulfilled");
      const refused = outcomes.filter((o) => o.status === "rejected");
      expect(winners).to.have.length(1);
      expect(refused).to.have.length(49);
      for (const r of refused) expect((r as PromiseRejectedResult).reason).to.be.instanceOf(TaskTransitionError);
      const stored = await read(TaskId);
      const won = (winners[0] as PromiseFulfilledResult<TaskRecord>).value;
      expect(stored).to.deep.equal(won);
      // One outcome, not a blend: a completion carries a Result and no error, a failure the reverse.
      if (stored?.Status === "completed")
        expect(stored).to.have.property("Result").and.not.have.property("ErrorMessage");
      else expect(stored).to.include({ Status: "failed" }).and.not.have.property("Result");
    });

    it("32 progress reports at once from writers whose clocks differ by up to 900 ms: none refused, the highest value kept, Updated_at never back", async () => {
      const backends = await sharedBackends();
      const { TaskId } = await writer.start(newTask(), { heartbeatSeconds: 60 });
      // Each writer's own clock, between 100 and 1000 ms after the start, interleaved with the values.
      const reports = Array.from({ length: 32 }, (_, i) => ({
        percent: (i * 29) % 98,
        at: new Date(T0.getTime() + 100 + ((i * 379) % 901)),
      }));
      const writers = reports.map(
        ({ at }) => new TaskWriter({ tableName: backends.env.DDB_TABLE_NAME, client: backends.dynamo, now: () => at }),
      );
      const outcomes = await Promise.allSettled(reports.map(({ percent }, i) => writers[i]?.progress(TaskId, percent)));
      expect(outcomes.filter((o) => o.status === "rejected")).to.deep.equal([]);
      const highest = Math.max(...reports.map((r) => r.percent));
      const stored = await read(TaskId);
      expect(stored?.Progress).to.equal(highest);
      // Never earlier than the time the highest value was sent, nor later than any writer's clock.
      const sentHighest = reports.find((r) => r.percent === highest)?.at.toISOString() ?? "";
      expect(String(stored?.Updated_at) >= sentHighest).to.equal(true);
      expect(String(stored?.Updated_at) <= "2026-11-28T10:00:01.000Z").to.equal(true);
      // Every writer saw a record at least as far along as what it sent.
      outcomes.forEach((outcome, i) => {
        if (outcome.status === "fulfilled") expect(outcome.value?.Progress).to.be.at.least(reports[i]?.percent ?? 0);
      });
    });

    it("progress racing itself never decreases", async () => {
      const { TaskId } = await writer.start(newTask());
      tick();
      const percents = Array.from({ length: 40 }, (_, i) => (i * 37) % 101);
      const results = await Promise.all(percents.map((p) => writer.progress(TaskId, p)));
      const stored = await read(TaskId);
      expect(stored?.Progress).to.equal(Math.max(...percents));
      // Whatever each writer saw, it never saw progress below what it wrote.
      results.forEach((record, i) => {
        expect(record.Progress).to.be.at.least(percents[i] ?? 0);
      });
    });
  });
});

describe("TaskWriter: CallbackUrl and EstimatedSeconds at start", function () {
  this.timeout(60_000);
  let writer: TaskWriter;
  let documents: DynamoDBDocumentClient;
  let tableName: string;

  before(async () => {
    const backends = await sharedBackends();
    tableName = backends.env.DDB_TABLE_NAME;
    writer = new TaskWriter({ tableName, client: backends.dynamo });
    documents = DynamoDBDocumentClient.from(backends.dynamo);
  });

  it("stores a callback URL and an estimate with the task", async () => {
    const task = newTask({ CallbackUrl: "https://hooks.example.com/tasks?token=abc", EstimatedSeconds: 90 });
    const record = await writer.start(task);
    expect(record).to.include({ CallbackUrl: "https://hooks.example.com/tasks?token=abc", EstimatedSeconds: 90 });
    const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { TaskId: task.TaskId } }));
    expect(Item).to.include({ CallbackUrl: "https://hooks.example.com/tasks?token=abc", EstimatedSeconds: 90 });
    // The same start again is the same task; another URL is other content.
    expect(await writer.start(task)).to.deep.equal(record);
    const other = await writer.start({ ...task, CallbackUrl: "https://other.example.com/" }).catch((e: unknown) => e);
    expect(other).to.be.instanceOf(TaskAlreadyExistsError);
  });

  for (const [what, url] of [
    ["a relative URL", "/tasks"],
    ["another scheme", "ftp://hooks.example.com/"],
    ["javascript:", "javascript:alert(1)"],
    ["user info", "https://user:secret@hooks.example.com/"],
    ["a user name alone", "https://user@hooks.example.com/"],
    ["no slashes after the scheme", "https:hooks.example.com"],
    ["over 2,048 characters", `https://hooks.example.com/${"a".repeat(2030)}`],
    ["not a URL", "hooks example com"],
  ] as const) {
    it(`refuses ${what} as CallbackUrl before any write`, async () => {
      const task = newTask({ CallbackUrl: url });
      const error = await writer.start(task).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidTaskInputError);
      expect(String((error as Error).message)).to.match(
        /^Invalid CallbackUrl: must be an absolute https:\/\/ or http:\/\/ URL of at most 2,048 characters, without user info$/,
      );
      const { Item } = await documents.send(new GetCommand({ TableName: tableName, Key: { TaskId: task.TaskId } }));
      expect(Item).to.equal(undefined);
    });
  }

  it("takes a URL of exactly 2,048 characters, and http:// for local receivers", async () => {
    const longest = `https://hooks.example.com/${"a".repeat(2048 - "https://hooks.example.com/".length)}`;
    expect(longest).to.have.length(2048);
    expect((await writer.start(newTask({ CallbackUrl: longest }))).CallbackUrl).to.equal(longest);
    expect((await writer.start(newTask({ CallbackUrl: "http://127.0.0.1:4000/" }))).CallbackUrl).to.equal(
      "http://127.0.0.1:4000/",
    );
  });

  for (const estimate of [0, -5, 1.5, 604_801]) {
    it(`refuses EstimatedSeconds ${estimate}`, async () => {
      expect(await writer.start(newTask({ EstimatedSeconds: estimate })).catch((e: unknown) => e)).to.be.instanceOf(
        InvalidTaskInputError,
      );
    });
  }
});

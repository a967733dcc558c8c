import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { TASK_EVENT_DETAIL_TYPES, TASK_EVENT_SOURCE, type TaskEventStatus } from "@task-api/contract";
import { TaskWriter } from "@task-api/processor";
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import { statusChangeFilters, taskEventInputTemplate } from "../../infra/taskEventDefinitions";
import { runTaskRecordCli } from "../../processor/cli";
import { createTaskTable } from "../../processor/createTaskTable";
import { sweepDeadlines } from "../../sweeper/sweepDeadlines";
import { passesFilters, renderInputTemplate } from "../helpers/eventBridge";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";
import { readStreamRecords } from "../helpers/streamRecords";
import { TextSink } from "../helpers/textSink";

const EVENT_SCHEMA = JSON.parse(
  readFileSync(path.join(__dirname, "..", "..", "schemas", "task-event.schema.json"), "utf8"),
);

/** What both pipes (one per status) would put on the bus for these stream records. */
function eventsFor(records: Array<Record<string, unknown>>) {
  const events: Array<{ source: string; "detail-type": string; detail: Record<string, unknown> }> = [];
  for (const record of records) {
    for (const status of Object.keys(TASK_EVENT_DETAIL_TYPES) as TaskEventStatus[]) {
      if (!passesFilters(statusChangeFilters(status), record)) continue;
      events.push({
        source: TASK_EVENT_SOURCE,
        "detail-type": TASK_EVENT_DETAIL_TYPES[status],
        detail: renderInputTemplate(taskEventInputTemplate(status, "dev"), record) as Record<string, unknown>,
      });
    }
  }
  return events;
}

/**
 * The pipes' filter and input template over real stream records: transitions written to DynamoDB
 * Local (with the processor kit, and by hand where a processor might), read back through the
 * Streams API, and run through an evaluator of EventBridge's documented semantics.
 */
describe("task events from real DynamoDB stream records", function () {
  this.timeout(60_000);
  let events: ReturnType<typeof eventsFor>;
  let recordCount = 0;
  const tableName = `task-events-proof-${process.pid}`;

  before(async () => {
    const backends = await sharedBackends();
    // The table as the program defines it (its stream, and the sweeper's indexes).
    await createTaskTable(backends.dynamo, tableName);
    let clock = new Date();
    const writer = new TaskWriter({ tableName, client: backends.dynamo, now: () => clock });
    const documents = DynamoDBDocumentClient.from(backends.dynamo);
    const media = { TaskType: "document", SourceBucket: "media-bucket", SourceKey: "original/document.pdf" };
    let writes = 0;
    const count = async <T>(write: Promise<T>) => {
      writes += 1;
      return write;
    };
    /** A hand-written UpdateItem, as a processor not using the kit might send. */
    const update = (
      taskId: string,
      expression: string,
      values: Record<string, string>,
      names?: Record<string, string>,
    ) =>
      count(
        documents.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { TaskId: taskId },
            UpdateExpression: expression,
            ExpressionAttributeValues: values,
            ...(names === undefined ? {} : { ExpressionAttributeNames: names }),
          }),
        ),
      );

    // Completed through the kit: start, progress twice, complete; then the same complete again.
    await count(writer.start({ ...media, TaskId: "ev-completed" }));
    await count(writer.progress("ev-completed", 40));
    await count(writer.progress("ev-completed", 80));
    await count(writer.complete("ev-completed", { TargetBucket: "media-bucket", TargetKey: "processed/document.png" }));
    await writer.complete("ev-completed", { TargetBucket: "media-bucket", TargetKey: "processed/document.png" }); // writes nothing
    // Failed through the kit, with an error that needs escaping.
    await count(writer.start({ ...media, TaskId: "ev-failed" }));
    await count(writer.fail("ev-failed", 'Failed to process document: "insufficient" memory\n'));
    // Still processing.
    await count(writer.start({ ...media, TaskId: "ev-processing" }));
    await count(writer.progress("ev-processing", 10));
    // Rewrites of terminal records by hand (a processor not using the kit): no change of status.
    await update("ev-completed", "SET Updated_at = :u", { ":u": "2030-01-01T00:00:00.000Z" });
    await update("ev-failed", "SET ErrorMessage = :e", { ":e": "rewritten" });
    // Written completed in one go (INSERT), as the spec's deblindwatermark-style processors might.
    await count(
      documents.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            TaskId: "ev-inserted",
            Status: "completed",
            Result: "generated by Dianshi",
            TaskType: "image/deblindwatermark",
          },
        }),
      ),
    );
    // A record without a Status that gains one.
    await count(
      documents.send(new PutCommand({ TableName: tableName, Item: { TaskId: "ev-no-status", TaskType: "x" } })),
    );
    await update("ev-no-status", "SET #s = :s", { ":s": "failed" }, { "#s": "Status" });
    // A caller's CorrelationId and a processor's ErrorCode.
    await count(writer.start({ ...media, TaskId: "ev-correlated", CorrelationId: "order-77" }));
    await count(writer.fail("ev-correlated", "not a PDF", { errorCode: "NOT_A_PDF" }));
    // A task whose processor stopped reporting, failed by the sweeper a minute later.
    await count(writer.start({ ...media, TaskId: "ev-deadline", CorrelationId: "order-78" }, { heartbeatSeconds: 2 }));
    clock = new Date(clock.getTime() + 60_000);
    const swept = await sweepDeadlines({ documents, tableName, now: () => clock, graceSeconds: 10 });
    expect(swept.failed).to.equal(1);
    writes += 1;

    const { Table } = await backends.dynamo.send(new DescribeTableCommand({ TableName: tableName }));
    const records = await readStreamRecords({
      endpoint: backends.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: backends.env.AWS_REGION,
      credentials: { accessKeyId: backends.env.AWS_ACCESS_KEY_ID, secretAccessKey: backends.env.AWS_SECRET_ACCESS_KEY },
      streamArn: String(Table?.LatestStreamArn),
      expected: writes,
    });
    recordCount = records.length;
    events = eventsFor(records);
  });

  it("reads one stream record per write (the repeated completion wrote nothing)", () => {
    expect(recordCount).to.equal(17);
  });

  it("publishes exactly the writes that move a task into completed or failed, once each", () => {
    expect(events.map((e) => [e["detail-type"], e.detail.TaskId])).to.deep.equal([
      ["Task Completed", "ev-completed"],
      ["Task Failed", "ev-failed"],
      ["Task Completed", "ev-inserted"],
      ["Task Failed", "ev-no-status"],
      ["Task Failed", "ev-correlated"],
      ["Task Failed", "ev-deadline"],
    ]);
  });

  it("carries the record's fields as the write left them, the stack, and no URL", () => {
    const completed = events.find((e) => e.detail.TaskId === "ev-completed");
    expect(completed?.detail).to.deep.include({
      TaskId: "ev-completed",
      Status: "completed",
      TaskType: "document",
      SourceBucket: "media-bucket",
      SourceKey: "original/document.pdf",
      TargetBucket: "media-bucket",
      TargetKey: "processed/document.png",
      Stack: "dev",
    });
    expect(completed?.detail)
      .to.have.property("Updated_at")
      .that.matches(/^\d{4}-\d\d-\d\dT/);
    expect(completed?.detail).to.not.have.any.keys("ErrorMessage", "Result", "Progress", "TargetObjectURL");
    expect(events.find((e) => e.detail.TaskId === "ev-failed")?.detail.ErrorMessage).to.equal(
      'Failed to process document: "insufficient" memory\n',
    );
    expect(events.find((e) => e.detail.TaskId === "ev-inserted")?.detail).to.deep.equal({
      TaskId: "ev-inserted",
      Status: "completed",
      Result: "generated by Dianshi",
      TaskType: "image/deblindwatermark",
      Stack: "dev",
    });
  });

  it("carries the CorrelationId a rule can route on, and the failure's ErrorCode, the sweeper's included", () => {
    expect(events.find((e) => e.detail.TaskId === "ev-correlated")?.detail).to.deep.include({
      CorrelationId: "order-77",
      ErrorCode: "NOT_A_PDF",
      ErrorMessage: "not a PDF",
    });
    expect(events.find((e) => e.detail.TaskId === "ev-deadline")?.detail).to.deep.include({
      CorrelationId: "order-78",
      ErrorCode: "DEADLINE_EXCEEDED",
      ErrorMessage: "no progress report for 2 s (judged 10 s after the deadline)",
    });
    // A consumer's rule { "detail": { "CorrelationId": ["order-77"] } } matches its own task's event only.
    const rule = JSON.stringify({ detail: { CorrelationId: ["order-77"] } });
    expect(events.filter((e) => passesFilters([rule], e)).map((e) => e.detail.TaskId)).to.deep.equal(["ev-correlated"]);
  });

  it("task-record republish puts the same event the pipe did, built from the table, and refuses an unfinished task", async () => {
    const backends = await sharedBackends();
    const bodies: string[] = [];
    const stub = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        bodies.push(body);
        response.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        response.end(JSON.stringify({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] }));
      });
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    const eventsEndpoint = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    const republish = async (taskId: string) => {
      const stdout = new TextSink();
      const stderr = new TextSink();
      // As an operator's shell runs it: endpoints, region and keys from the environment.
      const code = await withProcessEnv({ ...backends.env, AWS_ENDPOINT_URL_EVENTBRIDGE: eventsEndpoint }, () =>
        runTaskRecordCli(["republish", taskId, "--bus", "task-api-dev", "--stack", "dev", "--table", tableName], {
          stdout,
          stderr,
          env: {},
        }),
      );
      return { code, stdout: stdout.text, stderr: stderr.text };
    };
    try {
      for (const taskId of ["ev-deadline", "ev-correlated", "ev-completed"]) {
        const before = bodies.length;
        const { code, stderr } = await republish(taskId);
        expect(code, stderr).to.equal(0);
        const [entry] = (JSON.parse(bodies[before] ?? "{}") as { Entries: Array<Record<string, string>> }).Entries;
        const published = events.find((e) => e.detail.TaskId === taskId);
        expect(entry).to.deep.include({
          EventBusName: "task-api-dev",
          Source: published?.source,
          DetailType: published?.["detail-type"],
        });
        // ev-completed was rewritten by hand after its event (a later Updated_at): the table's truth now.
        const expected =
          taskId === "ev-completed"
            ? { ...published?.detail, Updated_at: "2030-01-01T00:00:00.000Z" }
            : published?.detail;
        expect(JSON.parse(entry?.Detail ?? "{}")).to.deep.equal(expected);
      }
      const before = bodies.length;
      const unfinished = await republish("ev-processing");
      expect(unfinished.code).to.equal(3);
      expect(unfinished.stderr).to.include("cannot go from processing to an event (it has not finished)");
      expect(bodies).to.have.length(before);
      expect((await republish("ev-nothing")).code).to.equal(2);
    } finally {
      stub.closeAllConnections();
      await new Promise((resolve) => stub.close(resolve));
    }
  });

  it("produces events that keep schemas/task-event.schema.json", () => {
    const validate = new Ajv2020({ strict: true, strictRequired: false }).compile(EVENT_SCHEMA);
    for (const event of events) expect(validate(event), JSON.stringify(validate.errors)).to.equal(true);
    // And the schema is not a rubber stamp: a completed event claiming failure, or carrying a URL, fails it.
    const [first] = events;
    expect(validate({ ...first, detail: { ...first?.detail, Status: "failed" } })).to.equal(false);
    expect(validate({ ...first, detail: { ...first?.detail, TargetObjectURL: "https://x" } })).to.equal(false);
  });
});

import { readFileSync } from "node:fs";
import * as path from "node:path";
import { CreateTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import Ajv2020 from "ajv/dist/2020";
import { expect } from "chai";
import { TASK_EVENT_DETAIL_TYPES, TASK_EVENT_SOURCE, type TaskEventStatus } from "task-api-contract";
import { statusChangeFilters, taskEventInputTemplate } from "../../infra/taskEventDefinitions";
import { TaskWriter } from "../../processor";
import { passesFilters, renderInputTemplate } from "../helpers/eventBridge";
import { sharedBackends } from "../helpers/sharedBackends";
import { readStreamRecords } from "../helpers/streamRecords";

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

  before(async () => {
    const backends = await sharedBackends();
    const tableName = `task-events-proof-${process.pid}`;
    await backends.dynamo.send(
      new CreateTableCommand({
        TableName: tableName,
        AttributeDefinitions: [{ AttributeName: "TaskId", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "TaskId", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
        StreamSpecification: { StreamEnabled: true, StreamViewType: "NEW_AND_OLD_IMAGES" },
      }),
    );
    const writer = new TaskWriter({ tableName, client: backends.dynamo });
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
    expect(recordCount).to.equal(13);
  });

  it("publishes exactly the writes that move a task into completed or failed, once each", () => {
    expect(events.map((e) => [e["detail-type"], e.detail.TaskId])).to.deep.equal([
      ["Task Completed", "ev-completed"],
      ["Task Failed", "ev-failed"],
      ["Task Completed", "ev-inserted"],
      ["Task Failed", "ev-no-status"],
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

  it("produces events that keep schemas/task-event.schema.json", () => {
    const validate = new Ajv2020({ strict: true, strictRequired: false }).compile(EVENT_SCHEMA);
    for (const event of events) expect(validate(event), JSON.stringify(validate.errors)).to.equal(true);
    // And the schema is not a rubber stamp: a completed event claiming failure, or carrying a URL, fails it.
    const [first] = events;
    expect(validate({ ...first, detail: { ...first?.detail, Status: "failed" } })).to.equal(false);
    expect(validate({ ...first, detail: { ...first?.detail, TargetObjectURL: "https://x" } })).to.equal(false);
  });
});

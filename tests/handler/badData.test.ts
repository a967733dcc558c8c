import { type AttributeValue, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { expect } from "chai";
import { loadHandlerConfig } from "../../handler/config";
import { createHandler } from "../../handler/createHandler";
import type { TaskStatusHandler } from "../../handler/httpAdapter";
import { makeContext, makeEvent } from "../helpers/factories";
import { withProcessEnv } from "../helpers/processEnv";
import { RecordingLogger } from "../helpers/recordingLogger";
import { sharedBackends } from "../helpers/sharedBackends";

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

/** Records as a buggy processor might write them, and what the API must make of each. */
const CASES: Array<{
  label: string;
  item: Record<string, AttributeValue>;
  expected: Record<string, string>;
  warning: RegExp;
}> = [
  {
    label: "a numeric Status",
    item: { TaskId: S("bad-1"), Status: N(2), TaskType: S("document") },
    expected: { TaskId: "bad-1", TaskType: "document" },
    warning: /attributes of the wrong type/,
  },
  {
    label: "a numeric TargetKey on a completed task",
    item: { TaskId: S("bad-2"), Status: S("completed"), TargetBucket: S("media-bucket"), TargetKey: N(7) },
    expected: { TaskId: "bad-2", Status: "completed", TargetBucket: "media-bucket" },
    warning: /attributes of the wrong type|no target object/,
  },
  {
    label: "a map where ErrorMessage belongs",
    item: { TaskId: S("bad-3"), Status: S("failed"), ErrorMessage: { M: { code: S("E1") } } },
    expected: { TaskId: "bad-3", Status: "failed" },
    warning: /attributes of the wrong type/,
  },
  {
    label: "a completed task without a target",
    item: { TaskId: S("bad-4"), Status: S("completed"), SourceKey: S("a.pdf") },
    expected: { TaskId: "bad-4", Status: "completed", SourceKey: "a.pdf" },
    warning: /no target object/,
  },
  {
    label: "a status the spec does not define",
    item: { TaskId: S("bad-5"), Status: S("exploded") },
    expected: { TaskId: "bad-5", Status: "exploded" },
    warning: /Status the spec does not define/,
  },
  {
    label: "a TargetKey with control characters",
    item: {
      TaskId: S("bad-6"),
      Status: S("completed"),
      TargetBucket: S("media-bucket"),
      TargetKey: S("x\u0000y\n.png"),
    },
    expected: { TaskId: "bad-6", Status: "completed", TargetBucket: "media-bucket", TargetKey: "x\u0000y\n.png" },
    warning: /not a usable S3 key/,
  },
  {
    label: "a list where TaskType belongs, and a boolean Result",
    item: { TaskId: S("bad-7"), TaskType: { L: [S("a")] }, Result: { BOOL: true } },
    expected: { TaskId: "bad-7" },
    warning: /attributes of the wrong type/,
  },
  {
    label: "a fractional Progress",
    item: { TaskId: S("bad-8"), Status: S("processing"), Progress: N(40.5) },
    expected: { TaskId: "bad-8", Status: "processing" },
    warning: /attributes of the wrong type/,
  },
  {
    label: "a Progress over 100",
    item: { TaskId: S("bad-9"), Status: S("processing"), Progress: N(140) },
    expected: { TaskId: "bad-9", Status: "processing" },
    warning: /attributes of the wrong type/,
  },
  {
    label: "a Progress written as a string",
    item: { TaskId: S("bad-10"), Status: S("processing"), Progress: S("40") },
    expected: { TaskId: "bad-10", Status: "processing" },
    warning: /attributes of the wrong type/,
  },
];

describe("records with bad data, from DynamoDB Local", function () {
  this.timeout(60_000);
  let handler: TaskStatusHandler;
  let env: Record<string, string>;
  const logger = new RecordingLogger();

  before(async () => {
    const backends = await sharedBackends();
    env = backends.env;
    for (const { item } of CASES) {
      await backends.dynamo.send(new PutItemCommand({ TableName: env.DDB_TABLE_NAME, Item: item }));
    }
    handler = await withProcessEnv(env, () => createHandler(loadHandlerConfig(process.env), logger));
  });

  for (const { label, item, expected, warning } of CASES) {
    it(`answers ${label} with only its well-typed spec fields, no URL, and a warning naming the task`, async () => {
      const taskId = String(item.TaskId?.S);
      logger.lines.length = 0;
      const result = await withProcessEnv(env, () => handler(makeEvent({ task_id: taskId }), makeContext()));
      expect(result.statusCode).to.equal(200);
      expect(JSON.parse(result.body ?? "{}")).to.deep.equal(expected);
      const warnings = logger.lines.filter((line) => line.level === "warn");
      expect(warnings.length).to.be.at.least(1);
      expect(warnings.some((line) => warning.test(line.message))).to.equal(true);
      for (const line of warnings) expect(line.keys.taskId).to.equal(taskId);
    });
  }
});

import { PutItemCommand } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEventV2, Context } from "aws-lambda";
import { expect } from "chai";
import { loadHandlerConfig } from "../../handler/config";
import { createHandler } from "../../handler/createHandler";
import type { TaskStatusHandler } from "../../handler/httpAdapter";
import { JSON_CONTENT_TYPE } from "../../handler/jsonResponse";
import type { EmbeddedBackends } from "../../local/embeddedBackends";
import { freePort } from "../../local/emulators";
import { RESULT_PNG, SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { type CountingProxy, startCountingProxy } from "../helpers/countingProxy";
import { makeContext, makeEvent } from "../helpers/factories";
import { recomputePresignedSignature } from "../helpers/independentSigV4";
import { withProcessEnv } from "../helpers/processEnv";
import { RecordingLogger } from "../helpers/recordingLogger";
import { sharedBackends } from "../helpers/sharedBackends";

/**
 * The production wiring built from an environment, exactly as handler/index.ts builds it. The SDK
 * reads endpoint and credentials from the environment lazily, so each call runs inside it too.
 */
interface WiredHandler {
  invoke: (event: APIGatewayProxyEventV2, context: Context) => ReturnType<TaskStatusHandler>;
}

async function handlerFrom(env: Record<string, string>, logger = new RecordingLogger()): Promise<WiredHandler> {
  const handler = await withProcessEnv(env, () => createHandler(loadHandlerConfig(process.env), logger));
  return { invoke: (event, context) => withProcessEnv(env, () => handler(event, context)) };
}

async function call(wired: WiredHandler, taskId: string | null) {
  const result = await wired.invoke(makeEvent(taskId === null ? null : { task_id: taskId }), makeContext());
  return { ...result, json: JSON.parse(result.body ?? "null") as Record<string, unknown> };
}

describe("createHandler on DynamoDB Local and s3rver", function () {
  this.timeout(90_000);
  let backends: EmbeddedBackends;
  let proxy: CountingProxy;
  let handler: WiredHandler;

  before(async () => {
    backends = await sharedBackends();
    // Every DynamoDB request goes through a counting proxy, so tests can see what reached the table.
    proxy = await startCountingProxy(backends.env.AWS_ENDPOINT_URL_DYNAMODB);
    handler = await handlerFrom({ ...backends.env, AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint });
  });
  after(() => proxy?.close());
  beforeEach(() => {
    proxy.targets.length = 0;
  });

  it("answers the completed example with a URL that downloads the result and carries a valid SigV4 signature", async () => {
    const answer = await call(handler, SPEC_EXAMPLE_TASKS.completed.TaskId);
    expect(answer.statusCode).to.equal(200);
    expect(answer.headers).to.include({ "content-type": JSON_CONTENT_TYPE });
    const { TargetObjectURL, TargetObjectURLExpiresAt, ...fields } = answer.json;
    expect(fields).to.deep.equal(SPEC_EXAMPLE_TASKS.completed);
    expect(TargetObjectURLExpiresAt).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(TargetObjectURL).to.be.a("string");
    const url = String(TargetObjectURL);

    const download = await fetch(url);
    expect(download.status).to.equal(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(RESULT_PNG)).to.equal(true);

    const credentials = {
      accessKeyId: backends.env.AWS_ACCESS_KEY_ID,
      secretAccessKey: backends.env.AWS_SECRET_ACCESS_KEY,
    };
    expect(new URL(url).searchParams.get("X-Amz-Signature")).to.equal(
      recomputePresignedSignature(url, credentials, backends.env.AWS_REGION),
    );
    expect(new URL(url).searchParams.get("X-Amz-Expires")).to.equal("3600");
  });

  it("reads with exactly one GetItem per request", async () => {
    await call(handler, SPEC_EXAMPLE_TASKS.completed.TaskId);
    expect(proxy.targets).to.deep.equal(["DynamoDB_20120810.GetItem"]);
  });

  for (const name of ["processing", "failed", "deblindwatermark"] as const) {
    it(`answers the ${name} example exactly as stored, without a URL`, async () => {
      const answer = await call(handler, SPEC_EXAMPLE_TASKS[name].TaskId);
      expect(answer.statusCode).to.equal(200);
      expect(answer.json).to.deep.equal(SPEC_EXAMPLE_TASKS[name]);
    });
  }

  it("answers 404 with the spec's message for an id that is not in the table", async () => {
    const answer = await call(handler, "0000-0000-0000");
    expect(answer.statusCode).to.equal(404);
    expect(answer.json).to.deep.equal({ error: "Task not found: 0000-0000-0000" });
  });

  it("never sends a missing or invalid id to DynamoDB", async () => {
    const tooLong = "x".repeat(2049); // over DynamoDB's 2048-byte key limit: would be a ValidationException
    for (const id of [null, "", "a b", "../etc", tooLong, "\u0000"]) {
      const answer = await call(handler, id);
      expect(answer.statusCode, JSON.stringify(id)).to.equal(400);
    }
    expect(proxy.targets).to.deep.equal([]);
  });

  it("returns none of a record's attributes outside the spec", async () => {
    await backends.dynamo.send(
      new PutItemCommand({
        TableName: backends.env.DDB_TABLE_NAME,
        Item: {
          TaskId: { S: "extra-attrs-1" },
          Status: { S: "processing" },
          ExpiresAt: { N: "4102444800" },
          InternalNote: { S: "processor-only" },
          Owner: { M: { account: { S: "123456789012" } } },
        },
      }),
    );
    const answer = await call(handler, "extra-attrs-1");
    expect(answer.json).to.deep.equal({ TaskId: "extra-attrs-1", Status: "processing" });
  });

  it("signs no URL for a completed task in a bucket outside TARGET_BUCKETS, and warns", async () => {
    const logger = new RecordingLogger();
    const strict = await handlerFrom({ ...backends.env, TARGET_BUCKETS: "another-bucket" }, logger);
    const answer = await call(strict, SPEC_EXAMPLE_TASKS.completed.TaskId);
    expect(answer.statusCode).to.equal(200);
    expect(answer.json).to.not.have.property("TargetObjectURL");
    expect(logger.lines.filter((line) => line.level === "warn")).to.have.length(1);
  });

  it("signs for URL_TTL_SECONDS", async () => {
    const shortLived = await handlerFrom({ ...backends.env, URL_TTL_SECONDS: "60" });
    const answer = await call(shortLived, SPEC_EXAMPLE_TASKS.completed.TaskId);
    expect(new URL(String(answer.json.TargetObjectURL)).searchParams.get("X-Amz-Expires")).to.equal("60");
  });

  it("answers 503 with Retry-After, naming the failure, before the function's time runs out when DynamoDB is unreachable", async () => {
    const closedPort = await freePort();
    const logger = new RecordingLogger();
    const broken = await handlerFrom(
      { ...backends.env, AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${closedPort}` },
      logger,
    );
    const context = makeContext();
    const result = await broken.invoke(makeEvent({ task_id: "1234-5678-9012" }), context);
    expect(context.getRemainingTimeInMillis()).to.be.greaterThan(0);
    expect(result.statusCode).to.equal(503);
    expect(result.headers).to.deep.equal({
      "content-type": JSON_CONTENT_TYPE,
      "cache-control": "no-store",
      "retry-after": "1",
    });
    expect(JSON.parse(result.body ?? "")).to.deep.equal({ error: "Failed to get task status: ECONNREFUSED" });
    const errors = logger.lines.filter((line) => line.level === "error");
    expect(errors).to.have.length(1);
    expect(errors[0]?.keys.taskId).to.equal("1234-5678-9012");
  });

  it("answers 500 naming DynamoDB's error when the table does not exist", async () => {
    const wrongTable = await handlerFrom({ ...backends.env, DDB_TABLE_NAME: "no-such-table" });
    const answer = await call(wrongTable, "1234-5678-9012");
    expect(answer.statusCode).to.equal(500);
    expect(answer.json).to.deep.equal({ error: "Failed to get task status: ResourceNotFoundException" });
  });
});

import { expect } from "chai";
import { loadHandlerConfig } from "../../handler/config";
import { createHandler } from "../../handler/createHandler";
import { JSON_CONTENT_TYPE } from "../../handler/jsonResponse";
import { makeContext, makeEvent } from "../helpers/factories";
import { type DynamoFault, startFaultyDynamoDb } from "../helpers/faultyDynamoDb";
import { withProcessEnv } from "../helpers/processEnv";
import { RecordingLogger } from "../helpers/recordingLogger";

const ENV = {
  DDB_TABLE_NAME: "tasks",
  AWS_REGION: "eu-west-1",
  AWS_ACCESS_KEY_ID: "AKIDFAULTTEST",
  AWS_SECRET_ACCESS_KEY: "secret",
  TARGET_BUCKETS: "media-bucket",
};

/** The production handler pointed at a faulty DynamoDB; one request, with `remainingMs` of function time. */
async function askThroughFault(fault: DynamoFault, remainingMs: number) {
  const dynamo = await startFaultyDynamoDb(fault);
  const logger = new RecordingLogger();
  const env = { ...ENV, AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint };
  try {
    return await withProcessEnv(env, async () => {
      const handler = createHandler(loadHandlerConfig(process.env), logger);
      const context = makeContext("fault-request", remainingMs);
      const result = await handler(makeEvent({ task_id: "1234-5678-9012" }), context);
      return { result, remainingAfter: context.getRemainingTimeInMillis(), requests: dynamo.requests, logger };
    });
  } finally {
    await dynamo.close();
  }
}

function expectErrorAnswer(
  result: { statusCode?: number; headers?: Record<string, unknown>; body?: string },
  status: number,
  name: string,
) {
  expect(result.statusCode).to.equal(status);
  expect(JSON.parse(result.body ?? "")).to.deep.equal({ error: `Failed to get task status: ${name}` });
  expect(result.headers).to.include({ "content-type": JSON_CONTENT_TYPE, "cache-control": "no-store" });
  if (status === 503) expect(result.headers?.["retry-after"]).to.equal("1");
  else expect(result.headers).to.not.have.property("retry-after");
  expect(result.body).to.not.match(/arn:aws|123456789012/);
}

describe("the handler against a faulty DynamoDB (loopback stand-in via AWS_ENDPOINT_URL_DYNAMODB)", function () {
  this.timeout(30_000);

  it("answers 503 TimeoutError before the function's 5 s run out when DynamoDB never answers", async () => {
    const { result, remainingAfter, requests, logger } = await askThroughFault("hang", 5000);
    expectErrorAnswer(result, 503, "TimeoutError");
    expect(remainingAfter).to.be.greaterThan(0);
    expect(requests).to.be.within(1, 3);
    const [line] = logger.lines.filter((l) => l.level === "error");
    expect(line?.keys).to.include({ taskId: "1234-5678-9012", apiRequestId: "api-request-1" });
  });

  it("gives up within whatever time the invocation has left", async () => {
    const { result, remainingAfter } = await askThroughFault("hang", 1200);
    expectErrorAnswer(result, 503, "TimeoutError");
    expect(remainingAfter).to.be.greaterThan(0);
  });

  it("answers 503 after the SDK's bounded retries when throttled", async () => {
    const { result, requests, remainingAfter } = await askThroughFault("throttle", 5000);
    expectErrorAnswer(result, 503, "ProvisionedThroughputExceededException");
    expect(requests).to.equal(3);
    expect(remainingAfter).to.be.greaterThan(0);
  });

  it("answers 503 when DynamoDB answers 500", async () => {
    const { result, requests } = await askThroughFault("error500", 5000);
    expectErrorAnswer(result, 503, "InternalServerError");
    expect(requests).to.equal(3);
  });

  it("answers 500 at once, without retrying, when access is denied; the ARN stays in the log", async () => {
    const { result, requests, logger } = await askThroughFault("deny", 5000);
    expectErrorAnswer(result, 500, "AccessDeniedException");
    expect(requests).to.equal(1);
    expect(logger.text()).to.include("arn:aws:sts::123456789012:assumed-role");
  });

  it("answers 500 when the table does not exist", async () => {
    const { result, requests } = await askThroughFault("missingTable", 5000);
    expectErrorAnswer(result, 500, "ResourceNotFoundException");
    expect(requests).to.equal(1);
  });
});

import { expect } from "chai";
import { loadHandlerConfig } from "../../handler/config";
import { createHandler } from "../../handler/createHandler";
import type { TaskStatusHandler } from "../../handler/httpAdapter";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { captureLogOutput } from "../helpers/captureLogOutput";
import { makeContext, makeEvent } from "../helpers/factories";
import { startFaultyDynamoDb } from "../helpers/faultyDynamoDb";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";

// Temporary credentials, as Lambda's role gives them: the token must never reach a log.
const SESSION_TOKEN = "IQoJb3JpZ2luX2VjEXAMPLE-session-token-0123456789abcdef";

interface LogRecord {
  level: string;
  message: string;
  taskId?: string;
  apiRequestId?: string;
  function_request_id?: string;
  error?: { name?: string; message?: string; stack?: string };
  [key: string]: unknown;
}

describe("logs (Powertools Logger, captured from stdout)", function () {
  this.timeout(60_000);
  let lines: string[] = [];
  const urls: string[] = [];
  let secretAccessKey = "";

  before(async () => {
    const backends = await sharedBackends();
    secretAccessKey = backends.env.AWS_SECRET_ACCESS_KEY;
    const env = { ...backends.env, AWS_SESSION_TOKEN: SESSION_TOKEN, POWERTOOLS_LOG_LEVEL: "DEBUG" };
    const denied = await startFaultyDynamoDb("deny");
    const hanging = await startFaultyDynamoDb("hang");
    try {
      lines = await captureLogOutput(async () => {
        const run = async (
          handler: TaskStatusHandler,
          id: string | null,
          requestId: string,
          headers: Record<string, string> = {},
        ) => {
          const event = makeEvent(id === null ? null : { task_id: id });
          event.headers = { ...event.headers, ...headers };
          return handler(event, makeContext(requestId, 2000));
        };
        await withProcessEnv(env, async () => {
          const handler = createHandler(loadHandlerConfig(process.env));
          const completed = await run(handler, SPEC_EXAMPLE_TASKS.completed.TaskId, "r-200");
          urls.push(String(JSON.parse(completed.body ?? "{}").TargetObjectURL));
          await run(handler, SPEC_EXAMPLE_TASKS.completed.TaskId, "r-304", {
            "if-none-match": String(completed.headers?.etag),
          });
          await run(handler, SPEC_EXAMPLE_TASKS.processing.TaskId, "r-processing");
          await run(handler, "no-such-task", "r-404");
          await run(handler, 'bad id\n{"level":"ERROR"}', "r-400");
          await run(handler, null, "r-400-missing");
        });
        await withProcessEnv({ ...env, AWS_ENDPOINT_URL_DYNAMODB: denied.endpoint }, async () => {
          await run(createHandler(loadHandlerConfig(process.env)), "1234-5678-9012", "r-500");
        });
        await withProcessEnv({ ...env, AWS_ENDPOINT_URL_DYNAMODB: hanging.endpoint }, async () => {
          await run(createHandler(loadHandlerConfig(process.env)), "1234-5678-9012", "r-503");
        });
      });
    } finally {
      await denied.close();
      await hanging.close();
    }
  });

  const records = () => lines.map((line) => JSON.parse(line) as LogRecord);

  it("writes one JSON line per request at least, every one of them parseable", () => {
    expect(lines.length).to.be.at.least(8);
    for (const line of lines) expect(() => JSON.parse(line), line).to.not.throw();
  });

  it("puts the task ID and both request IDs on every line", () => {
    for (const record of records()) {
      expect(record.taskId, record.message).to.be.a("string").and.not.equal("");
      expect(record.function_request_id, record.message).to.match(/^r-/);
      expect(record.apiRequestId, record.message).to.equal("api-request-1");
    }
    const byRequest = new Map(records().map((r) => [r.function_request_id, r.taskId]));
    expect(byRequest.get("r-400")).to.equal("(invalid)");
    expect(byRequest.get("r-400-missing")).to.equal("(none)");
    expect(byRequest.get("r-404")).to.equal("no-such-task");
  });

  it("logs each failure with the error's name and details, at error level", () => {
    const errors = records().filter((r) => r.level === "ERROR");
    expect(errors.map((r) => r.function_request_id).sort()).to.deep.equal(["r-500", "r-503"]);
    const denied = errors.find((r) => r.function_request_id === "r-500");
    expect(denied?.error?.name).to.equal("AccessDeniedException");
    expect(denied?.error?.message).to.include("is not authorized to perform: dynamodb:GetItem");
    expect(denied?.taskId).to.equal("1234-5678-9012");
  });

  it("never logs a presigned URL, a signature, the session token or the secret key", () => {
    const signature = new URL(urls[0] ?? "http://x").searchParams.get("X-Amz-Signature");
    expect(signature).to.match(/^[0-9a-f]{64}$/);
    for (const line of lines) {
      expect(line).to.not.include(String(signature));
      expect(line).to.not.include("X-Amz-Signature");
      expect(line).to.not.include("X-Amz-Credential");
      expect(line).to.not.include(SESSION_TOKEN);
      expect(line).to.not.include(`"${secretAccessKey}"`);
    }
  });

  it("keeps an invalid ID's text out of the log, so it cannot forge a line", () => {
    expect(lines.filter((line) => line.includes("bad id"))).to.deep.equal([]);
  });
});

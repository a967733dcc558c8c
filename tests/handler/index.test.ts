import { expect } from "chai";
import type { TaskStatusHandler } from "../../handler/httpAdapter";
import { SPEC_EXAMPLE_TASKS } from "../../local/specExamples";
import { captureLogOutput } from "../helpers/captureLogOutput";
import { makeContext, makeEvent } from "../helpers/factories";
import { withProcessEnv } from "../helpers/processEnv";
import { sharedBackends } from "../helpers/sharedBackends";

describe("handler/index (the Lambda entry)", function () {
  this.timeout(90_000);
  let env: Record<string, string>;
  let handler: TaskStatusHandler;

  before(async () => {
    const backends = await sharedBackends();
    env = { ...backends.env, POWERTOOLS_SERVICE_NAME: "task-api-test", POWERTOOLS_LOG_LEVEL: "INFO" };
    handler = await withProcessEnv(env, async () => (await import("../../handler/index.js")).handler);
  });

  it("serves the spec's completed example with a signed URL, and at the default level INFO writes no log line for it", async () => {
    let body = "";
    const lines = await captureLogOutput(() =>
      withProcessEnv(env, async () => {
        const result = await handler(
          makeEvent({ task_id: SPEC_EXAMPLE_TASKS.completed.TaskId }),
          makeContext("req-entry"),
        );
        body = result.body ?? "";
      }),
    );
    expect(String(JSON.parse(body).TargetObjectURL)).to.include("X-Amz-Signature=");
    // The API's access log already has the poll; the function adds nothing (issue: a cheaper poll).
    expect(lines).to.deep.equal([]);
  });

  it("logs a refused request as a Powertools JSON line with the task and request ids", async () => {
    const lines = await captureLogOutput(() =>
      withProcessEnv(env, () => handler(makeEvent({ task_id: "no-such-task" }), makeContext("req-missing"))),
    );
    expect(lines).to.have.length(1);
    expect(JSON.parse(lines[0] ?? "{}")).to.include({
      level: "INFO",
      message: "Task status refused",
      service: "task-api-test",
      function_request_id: "req-missing",
      apiRequestId: "api-request-1",
      taskId: "no-such-task",
    });
  });
});

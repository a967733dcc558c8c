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

  it("serves the spec's completed example and logs Powertools JSON lines with the task and request ids, never the URL", async () => {
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
    const url = String(JSON.parse(body).TargetObjectURL);
    expect(url).to.include("X-Amz-Signature=");
    expect(lines).to.have.length.greaterThan(0);
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(record).to.include({
        service: "task-api-test",
        function_request_id: "req-entry",
        apiRequestId: "api-request-1",
        taskId: SPEC_EXAMPLE_TASKS.completed.TaskId,
      });
      expect(line).to.not.include(new URL(url).searchParams.get("X-Amz-Signature") ?? "unreachable");
    }
  });
});

import { expect } from "chai";
import fc from "fast-check";
import { createHttpAdapter } from "../../handler/httpAdapter";
import { JSON_CONTENT_TYPE } from "../../handler/jsonResponse";
import { TaskStatusService } from "../../handler/taskStatusService";
import { makeContext, makeEvent, makeServiceDeps, makeStoredTask } from "../helpers/factories";
import { InMemoryTaskRepository } from "../helpers/fakes";
import { type LocalApi, startLocalApi } from "../helpers/localApi";
import { RecordingLogger } from "../helpers/recordingLogger";
import { anyTaskId } from "../helpers/taskIdArbitraries";

/** How many fuzzed inputs each property tries. */
const FUZZ_RUNS = { adapter: 5000, http: 300 };

describe("fuzzing task_id", function () {
  this.timeout(120_000);

  it(`answers ${FUZZ_RUNS.adapter} arbitrary IDs (and If-None-Match values) with 200, 400 or 404 and a JSON body, never 5xx or a throw`, async () => {
    const repository = InMemoryTaskRepository.of(makeStoredTask({ TaskId: "1234-5678-9012" }));
    const logger = new RecordingLogger();
    const service = new TaskStatusService(makeServiceDeps({ repository, logger }));
    const handler = createHttpAdapter(service, logger);
    await fc.assert(
      fc.asyncProperty(anyTaskId, fc.option(fc.string({ maxLength: 80 })), async (taskId, ifNoneMatch) => {
        const event = makeEvent({ task_id: taskId });
        if (ifNoneMatch !== null) event.headers = { ...event.headers, "if-none-match": ifNoneMatch };
        const result = await handler(event, makeContext());
        expect([200, 304, 400, 404]).to.include(result.statusCode);
        expect(result.headers?.["content-type"]).to.equal(JSON_CONTENT_TYPE);
        if (result.statusCode !== 304) expect(() => JSON.parse(result.body ?? "")).to.not.throw();
        if (result.statusCode === 400) expect(result.body).to.not.include(taskId.length > 3 ? taskId : "\u0000never");
      }),
      { numRuns: FUZZ_RUNS.adapter },
    );
    // A log line for every request, none of them carrying a raw invalid ID.
    for (const line of logger.lines)
      expect(line.keys.taskId).to.match(/^(\(none\)|\(invalid\)|[A-Za-z0-9._:-]{1,128})$/);
  });

  describe("through the local server on DynamoDB Local", () => {
    let api: LocalApi;
    before(async () => {
      api = await startLocalApi();
    });
    after(() => api?.close());

    it(`answers ${FUZZ_RUNS.http} arbitrary IDs, percent-encoded into the path, with 200, 400 or 404 and JSON`, async () => {
      await fc.assert(
        fc.asyncProperty(
          anyTaskId.filter((id) => id.length > 0 && id.length < 4000),
          async (taskId) => {
            const response = await fetch(`${api.base}/task/${encodeURIComponent(taskId)}`);
            const body = await response.text();
            expect(
              [200, 400, 404],
              `${response.status} for ${JSON.stringify(taskId.slice(0, 40))}: ${body}`,
            ).to.include(response.status);
            expect(() => JSON.parse(body)).to.not.throw();
          },
        ),
        { numRuns: FUZZ_RUNS.http },
      );
    });
  });
});

import { expect } from "chai";
import { createHttpAdapter } from "../../handler/httpAdapter";
import { JSON_CONTENT_TYPE } from "../../handler/jsonResponse";
import { TaskStatusService } from "../../handler/taskStatusService";
import { makeContext, makeEvent, makeServiceDeps, makeStoredTask } from "../helpers/factories";
import { InMemoryTaskRepository, RecordingSigner } from "../helpers/fakes";
import { RecordingLogger } from "../helpers/recordingLogger";

function adapterWith(repository = InMemoryTaskRepository.of(makeStoredTask())) {
  const logger = new RecordingLogger();
  const signer = new RecordingSigner();
  const service = new TaskStatusService(makeServiceDeps({ repository, signer, logger }));
  return { handler: createHttpAdapter(service, logger), logger, repository, signer };
}

function bodyOf(result: { body?: string }): unknown {
  return JSON.parse(result.body ?? "");
}

describe("createHttpAdapter", () => {
  it("answers 200 with the task as JSON and the JSON content type", async () => {
    const { handler } = adapterWith();
    const result = await handler(makeEvent(), makeContext());
    expect(result.statusCode).to.equal(200);
    expect(result.headers).to.include({ "content-type": JSON_CONTENT_TYPE });
    expect(result.headers?.["cache-control"]).to.match(/^private, max-age=\d+$/);
    expect(result.headers?.etag).to.match(/^W\/"[A-Za-z0-9_-]{22}"$/);
    expect(bodyOf(result)).to.include({ TaskId: "1234-5678-9012", Status: "completed" });
    expect(bodyOf(result))
      .to.have.property("TargetObjectURL")
      .that.matches(/^https:\/\/signed\.example\//);
  });

  it("answers 400 with the spec's message when the event has no pathParameters", async () => {
    const { handler, repository } = adapterWith();
    const result = await handler(makeEvent(null), makeContext());
    expect(result.statusCode).to.equal(400);
    expect(result.headers).to.deep.equal({ "content-type": JSON_CONTENT_TYPE, "cache-control": "no-store" });
    expect(bodyOf(result)).to.deep.equal({ error: "task_id is required in path parameters" });
    expect(repository.lookups).to.deep.equal([]);
  });

  it("answers 400 with the spec's message when pathParameters has no task_id", async () => {
    const { handler } = adapterWith();
    const result = await handler(makeEvent({ other: "x" }), makeContext());
    expect(result.statusCode).to.equal(400);
    expect(bodyOf(result)).to.deep.equal({ error: "task_id is required in path parameters" });
  });

  it("answers 400 for an invalid id without echoing it or reading the table", async () => {
    const { handler, repository } = adapterWith();
    const result = await handler(makeEvent({ task_id: "<img src=x>" }), makeContext());
    expect(result.statusCode).to.equal(400);
    expect(result.body).to.not.include("<img");
    expect(bodyOf(result))
      .to.have.property("error")
      .that.matches(/^Invalid task_id: /);
    expect(repository.lookups).to.deep.equal([]);
  });

  it("answers 404 with the spec's message for a missing task", async () => {
    const { handler } = adapterWith(InMemoryTaskRepository.of());
    const result = await handler(makeEvent({ task_id: "1234-5678-9012" }), makeContext());
    expect(result.statusCode).to.equal(404);
    expect(result.headers).to.deep.equal({ "content-type": JSON_CONTENT_TYPE, "cache-control": "no-store" });
    expect(bodyOf(result)).to.deep.equal({ error: "Task not found: 1234-5678-9012" });
  });

  it("answers 500 naming the error but not its message, and logs the details with the ids", async () => {
    const repository = InMemoryTaskRepository.of();
    repository.failure = Object.assign(
      new Error("User: arn:aws:iam::123456789012:role/x is not authorized to perform dynamodb:GetItem"),
      { name: "AccessDeniedException" },
    );
    const { handler, logger } = adapterWith(repository);
    const result = await handler(makeEvent(), makeContext("req-500"));
    expect(result.statusCode).to.equal(500);
    expect(result.headers).to.deep.equal({ "content-type": JSON_CONTENT_TYPE, "cache-control": "no-store" });
    expect(bodyOf(result)).to.deep.equal({ error: "Failed to get task status: AccessDeniedException" });
    expect(result.body).to.not.include("arn:aws");
    const errors = logger.lines.filter((line) => line.level === "error");
    expect(errors).to.have.length(1);
    expect(errors[0]?.keys).to.include({ taskId: "1234-5678-9012", apiRequestId: "api-request-1" });
    expect(errors[0]?.requestId).to.equal("req-500");
    expect(errors[0]?.attributes.error).to.equal(repository.failure);
  });

  it("answers 500 when signing fails, naming the failure", async () => {
    const { handler, signer } = adapterWith();
    signer.failure = Object.assign(new Error("Could not load credentials from any providers"), {
      name: "CredentialsProviderError",
    });
    const result = await handler(makeEvent(), makeContext());
    expect(result.statusCode).to.equal(500);
    expect(bodyOf(result)).to.deep.equal({ error: "Failed to get task status: CredentialsProviderError" });
  });

  it("logs every answer with the task id and request ids, and never the presigned URL", async () => {
    const { handler, logger } = adapterWith();
    await handler(makeEvent(), makeContext("req-200"));
    expect(logger.lines).to.have.length(1);
    expect(logger.lines[0]?.keys).to.deep.equal({ apiRequestId: "api-request-1", taskId: "1234-5678-9012" });
    expect(logger.lines[0]?.requestId).to.equal("req-200");
    expect(logger.text()).to.not.include("signed.example");
    expect(logger.text()).to.not.include("X-Amz-Signature");
  });

  it("logs an invalid id as (invalid) and a missing one as (none), never as given", async () => {
    const { handler, logger } = adapterWith();
    await handler(makeEvent({ task_id: "bad\nid" }), makeContext());
    await handler(makeEvent(null), makeContext());
    expect(logger.lines.map((line) => line.keys.taskId)).to.deep.equal(["(invalid)", "(none)"]);
  });

  it("clears the request keys after each invocation", async () => {
    const { handler, logger } = adapterWith();
    await handler(makeEvent(), makeContext());
    logger.info("after", {});
    expect(logger.lines.at(-1)?.keys).to.deep.equal({});
  });
});

describe("createHttpAdapter conditional requests", () => {
  it("answers 304 with no body, no content headers, and the same validator and caching headers when If-None-Match holds the ETag", async () => {
    const { handler, signer } = adapterWith(InMemoryTaskRepository.of(makeStoredTask({ Status: "processing" })));
    const first = await handler(makeEvent(), makeContext());
    const etag = String(first.headers?.etag);
    const event = makeEvent();
    event.headers = { ...event.headers, "if-none-match": etag };
    const second = await handler(event, makeContext());
    expect(second.statusCode).to.equal(304);
    expect(second.body).to.equal("");
    const { "content-type": contentType, ...caching } = first.headers ?? {};
    expect(contentType).to.equal("application/json; charset=utf-8");
    expect(second.headers).to.deep.equal(caching);
    expect(second.headers?.["retry-after"]).to.equal("2");
    expect(signer.signed).to.deep.equal([]);
  });

  it("answers 200 in full for an If-None-Match that holds another tag", async () => {
    const { handler } = adapterWith();
    const event = makeEvent();
    event.headers = { ...event.headers, "If-None-Match": 'W/"something-else"' };
    const result = await handler(event, makeContext());
    expect(result.statusCode).to.equal(200);
    expect(JSON.parse(result.body ?? "{}")).to.have.property("TaskId");
  });
});
